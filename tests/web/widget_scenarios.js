// Drives the chat widget in a real headless Chromium (Debian's /usr/bin/chromium through
// playwright-core from web/node_modules; no browser is downloaded). Run by test_widget_browser.py:
//   node widget_scenarios.js config.json results.json
// Each scenario runs in its own browser context and records what it saw (or its error) in the
// results; the Python tests assert on them.
"use strict";
const fs = require("fs");
const path = require("path");

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const { chromium } = require(path.resolve(__dirname, "../../web/node_modules/playwright-core"));

const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const WAIT = 30000;
const SERVER = config.url;
const TOKEN_KEY = "cmw:token:" + SERVER;

// ---- helpers ---------------------------------------------------------------------------------

async function newPage(browser, viewport, options = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.dialogs = [];
  page.on("pageerror", (error) => page.problems.push("pageerror: " + error.message));
  page.on("console", (msg) => { if (msg.type() === "error") page.problems.push("console: " + msg.text()); });
  page.on("dialog", async (dialog) => { page.dialogs.push(dialog.message()); await dialog.dismiss(); });
  return { context, page };
}

// State of the widget, read inside its shadow root.
function widgetState(page) {
  return page.evaluate(() => {
    const root = document.querySelector("#calm-muscle-chat").shadowRoot;
    const active = root.activeElement;
    return {
      open: !root.querySelector(".panel").hasAttribute("hidden"),
      typing: !root.querySelector(".typing").hasAttribute("hidden"),
      status: root.querySelector(".status").textContent,
      focus: active ? (active.id || active.className) : null,
      messages: Array.from(root.querySelectorAll(".log .msg")).map((m) => ({
        sender: m.classList.contains("user") ? "user" : "bot",
        text: m.querySelector(".text").textContent,
        welcome: m.classList.contains("welcome"),
        links: Array.from(m.querySelectorAll(".text a")).map((a) => ({ href: a.getAttribute("href"), text: a.textContent })),
        rate: m.querySelector(".rate") ? Array.from(m.querySelectorAll(".rate button")).map((b) => ({ kind: b.className, pressed: b.getAttribute("aria-pressed") })) : null,
        urgency: m.getAttribute("data-urgency"),
        className: m.className,
        calls: Array.from(m.querySelectorAll("a.call")).map((a) => ({ href: a.getAttribute("href"), text: a.textContent })),
        elements: Array.from(m.querySelectorAll(".text *")).map((e) => e.tagName.toLowerCase()),
      })),
      replies: Array.from(root.querySelectorAll(".quick-replies .reply")).map((b) => b.textContent),
      imgs: root.querySelectorAll("img").length + document.querySelectorAll("img").length,
      alert: root.querySelector('[role="alert"]').textContent,
      privacy: root.querySelector(".privacy").textContent,
      privacyLink: root.querySelector(".privacy a") && root.querySelector(".privacy a").getAttribute("href"),
      confirm: root.querySelector(".confirm").hasAttribute("hidden") ? null : {
        text: root.querySelector(".confirm").textContent,
        calls: Array.from(root.querySelectorAll(".confirm a.call")).map((a) => a.getAttribute("href")),
        afterReferral: root.querySelector(".confirm").classList.contains("after-referral"),
      },
      modal: root.querySelector(".panel").getAttribute("aria-modal"),
      emergencyLink: root.querySelector(".emergency-link") &&
        root.querySelector(".emergency-link").getAttribute("href"),
    };
  });
}

async function openWidget(page) {
  await page.locator(".launcher").click();
  await page.locator(".panel").waitFor({ state: "visible", timeout: WAIT });
  await waitReady(page);
}

// Connected with a session: the token in localStorage and no status message about connecting.
async function waitReady(page) {
  await page.waitForFunction((key) => {
    const root = document.querySelector("#calm-muscle-chat").shadowRoot;
    return localStorage.getItem(key) && !/Connecting|Reconnecting/.test(root.querySelector(".status").textContent);
  }, TOKEN_KEY, { timeout: WAIT });
}

async function botCount(page) {
  return (await widgetState(page)).messages.filter((m) => m.sender === "bot").length;
}

// Waits for the answer to the turn: at least one new bot bubble and the typing indicator gone.
async function waitAnswer(page, before) {
  await page.waitForFunction((n) => {
    const root = document.querySelector("#calm-muscle-chat").shadowRoot;
    return root.querySelectorAll(".log .msg.bot").length > n &&
      root.querySelector(".typing").hasAttribute("hidden");
  }, before, { timeout: WAIT });
}

async function say(page, text) {
  const before = await botCount(page);
  const input = page.locator("#cmw-input");
  await input.click();
  await input.fill(text);
  await page.keyboard.press("Enter");  // Enter sends
  await waitAnswer(page, before);
  return widgetState(page);
}

// Where the latest call-now card's Call button is, and whether it is wholly inside the log's
// visible box and the viewport.
function callButtonView(page) {
  return page.evaluate(() => {
    const root = document.querySelector("#calm-muscle-chat").shadowRoot;
    const cards = root.querySelectorAll(".msg[data-call-now]");
    const card = cards[cards.length - 1];
    if (!card) return null;
    const call = card.querySelector("a.call");
    const box = call.getBoundingClientRect(), log = root.querySelector(".log").getBoundingClientRect();
    const cardBox = card.getBoundingClientRect();
    return {
      width: box.width, height: box.height,
      inLog: box.top >= log.top - 0.5 && box.bottom <= log.bottom + 0.5,
      cardTopInLog: cardBox.top >= log.top - 0.5,
      inViewport: box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth,
    };
  });
}

// The element that has focus inside the widget, and how its focus ring is drawn.
function focusInfo(page) {
  return page.evaluate(() => {
    const root = document.querySelector("#calm-muscle-chat").shadowRoot;
    const el = root.activeElement;
    if (!el) return { inside: false, name: document.activeElement && document.activeElement.tagName };
    const s = getComputedStyle(el);
    return {
      inside: root.querySelector(".panel").contains(el),
      name: el.id || el.className || el.tagName.toLowerCase(),
      outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor,
      boxShadow: s.boxShadow,
    };
  });
}

function shot(page, name) {
  fs.mkdirSync(config.screenshots, { recursive: true });
  return page.screenshot({ path: path.join(config.screenshots, name) });
}

// ---- scenarios -------------------------------------------------------------------------------

const scenarios = {
  // The launcher, ARIA, keyboard; a self-care question and its answer; a quick reply; desktop shot.
  async selfcare(browser) {
    const { context, page } = await newPage(browser, DESKTOP);
    await page.goto(SERVER + "/chat");
    const launcher = page.locator(".launcher");
    const aria = {
      launcherLabel: await launcher.getAttribute("aria-label"),
      expandedBefore: await launcher.getAttribute("aria-expanded"),
    };
    await launcher.focus();
    await page.keyboard.press("Enter");  // the launcher opens from the keyboard
    await page.locator(".panel").waitFor({ state: "visible", timeout: WAIT });
    await waitReady(page);
    const log = page.locator('[role="log"]');
    Object.assign(aria, {
      expandedAfter: await launcher.getAttribute("aria-expanded"),
      logLive: await log.getAttribute("aria-live"),
      logLabel: await log.getAttribute("aria-label"),
      dialogLabelledBy: await page.locator(".panel").getAttribute("aria-labelledby"),
      inputLabel: await page.locator('label[for="cmw-input"]').textContent(),
      sendLabel: await page.locator(".send").getAttribute("aria-label"),
      restartLabel: await page.locator(".restart").getAttribute("aria-label"),
      closeLabel: await page.locator(".close").getAttribute("aria-label"),
      focusOnOpen: (await widgetState(page)).focus,
    });
    const answered = await say(page, "is ice good for a cramp?");
    await shot(page, "widget-desktop.png");
    let afterReply = null;
    if (answered.replies.length) {
      const before = await botCount(page);
      const title = answered.replies[0];
      await page.locator(".quick-replies .reply").first().click();
      await waitAnswer(page, before);
      afterReply = { title, state: await widgetState(page) };
    }
    await page.keyboard.press("Escape");
    const closed = await widgetState(page);
    aria.focusAfterEscape = await page.evaluate(() => {
      const root = document.querySelector("#calm-muscle-chat").shadowRoot;
      return root.activeElement ? root.activeElement.className : null;
    });
    aria.expandedAfterEscape = await launcher.getAttribute("aria-expanded");
    await context.close();
    return { aria, answered, afterReply, closedOpen: closed.open, problems: page.problems };
  },

  // A message far over the server's limit, typed into the widget, with a red flag first: nothing is
  // cut off in the browser; the server says it is too long and still refers (issue 15, finding 6).
  async longredflag(browser) {
    const { context, page } = await newPage(browser, DESKTOP);
    await page.goto(SERVER + "/chat");
    await openWidget(page);
    const story = "my face has dropped on one side and I can't lift my arm. " +
      "and then the rest of my long day went on and on. ".repeat(150);
    const typed = await page.locator("#cmw-input").getAttribute("maxlength");
    await say(page, story);
    await page.waitForFunction(() => {
      const root = document.querySelector("#calm-muscle-chat").shadowRoot;
      return root.querySelectorAll(".msg.urgent").length >= 1;
    }, null, { timeout: WAIT });
    const state = await widgetState(page);
    await context.close();
    return { typed, length: story.length, state, problems: page.problems };
  },

  // A red flag: urgent styling, a tel: link; then a reload shows the history; desktop shot.
  async redflag(browser) {
    const { context, page } = await newPage(browser, DESKTOP);
    await page.goto(SERVER + "/chat");
    await openWidget(page);
    await say(page, "is ice good for a cramp?");
    const flagged = await say(page, "my calf is swollen and I can't breathe");
    const callView = await callButtonView(page);
    const urgent = page.locator(".msg.urgent").last();
    const style = await urgent.evaluate((el) => {
      const s = getComputedStyle(el);
      return { borderColor: s.borderTopColor, borderWidth: s.borderLeftWidth, background: s.backgroundColor };
    });
    const plainStyle = await page.locator(".msg.bot:not(.urgent)").first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { borderWidth: s.borderLeftWidth, background: s.backgroundColor };
    });
    await shot(page, "widget-desktop-urgent.png");
    const tokenBefore = await page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY);
    await page.reload();
    await page.locator(".panel").waitFor({ state: "visible", timeout: WAIT });  // stays open
    await page.waitForFunction(() => {
      const root = document.querySelector("#calm-muscle-chat").shadowRoot;
      return root.querySelectorAll(".log .msg").length >= 4;
    }, null, { timeout: WAIT });
    await page.waitForTimeout(300);
    const reloaded = await widgetState(page);
    const reloadedCallView = await callButtonView(page);
    const tokenAfter = await page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY);
    // "Start over" after the referral: asked, with the advice repeated; kept when declined
    await page.locator(".restart").click();
    await page.locator(".confirm").waitFor({ state: "visible", timeout: WAIT });
    const asked = await widgetState(page);
    const askedFocus = await focusInfo(page);
    await shot(page, "widget-desktop-startover.png");
    await page.locator(".confirm-no").click();
    const kept = await widgetState(page);
    const tokenKept = await page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY);
    // and when confirmed: a new conversation, with a status line that the advice still stands
    await page.locator(".restart").click();
    await page.locator(".confirm-yes").click();
    await page.waitForFunction(([k, old]) => localStorage.getItem(k) && localStorage.getItem(k) !== old,
                               [TOKEN_KEY, tokenKept], { timeout: WAIT });
    await page.waitForTimeout(200);
    const restarted = await widgetState(page);
    await context.close();
    return { flagged, style, plainStyle, reloaded, sameToken: tokenBefore === tokenAfter, callView,
             reloadedCallView, asked, askedFocus, kept, keptToken: tokenKept === tokenAfter, restarted,
             problems: page.problems };
  },

  // Phone size: the open chat fills the screen; an escalation; phone shot.
  async phone(browser) {
    const { context, page } = await newPage(browser, PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await page.goto(SERVER + "/chat");
    const launcherBox = await page.locator(".launcher").boundingBox();
    await page.locator(".launcher").tap();
    await page.locator(".panel").waitFor({ state: "visible", timeout: WAIT });
    await waitReady(page);
    const state = await say(page, "my calf is swollen and I can't breathe");
    const panelBox = await page.locator(".panel").boundingBox();
    const launcherVisible = await page.locator(".launcher").isVisible();
    const callView = await callButtonView(page);
    await shot(page, "widget-phone.png");
    // a reload restores the conversation with the urgent card and its Call button whole in view
    await page.reload();
    await page.locator(".panel").waitFor({ state: "visible", timeout: WAIT });
    await page.waitForFunction(() => {
      const root = document.querySelector("#calm-muscle-chat").shadowRoot;
      return root.querySelectorAll(".log .msg[data-call-now]").length >= 1;
    }, null, { timeout: WAIT });
    await page.waitForTimeout(500);
    const reloaded = await widgetState(page);
    const reloadedCallView = await callButtonView(page);
    await shot(page, "widget-phone-restored.png");
    // focus stays inside the full-screen chat: Tab cycles through its controls, Shift+Tab too
    await page.locator("#cmw-input").focus();
    const tabs = [];
    for (let i = 0; i < 24; i++) { await page.keyboard.press("Tab"); tabs.push(await focusInfo(page)); }
    const backTabs = [];
    for (let i = 0; i < 24; i++) { await page.keyboard.press("Shift+Tab"); backTabs.push(await focusInfo(page)); }
    // Start over on the phone, after the referral
    await page.locator(".restart").tap();
    await page.locator(".confirm").waitFor({ state: "visible", timeout: WAIT });
    const asked = await widgetState(page);
    await shot(page, "widget-phone-startover.png");
    await context.close();
    return { state, panelBox, launcherBox, launcherVisible, viewport: PHONE, callView, reloaded,
             reloadedCallView, tabs, backTabs, asked, problems: page.problems };
  },

  // The welcome with starter buttons and the privacy line; a starter tapped; its answer rated
  // (stored by the server: the Python test reads the tracker); a reload shows the starter's title
  // and the rating.
  async welcome(browser) {
    const { context, page } = await newPage(browser, DESKTOP);
    await page.goto(SERVER + "/chat");
    await openWidget(page);
    await page.locator(".msg.welcome").waitFor({ state: "visible", timeout: WAIT });
    const welcomed = await widgetState(page);
    await shot(page, "widget-desktop-welcome.png");
    const starter = welcomed.replies[0];
    const before = await botCount(page);
    await page.locator(".quick-replies .reply").first().click();
    await waitAnswer(page, before);
    const answered = await widgetState(page);
    const rated = page.locator(".msg.bot .rate").last();
    await rated.waitFor({ state: "visible", timeout: WAIT });
    const ratedText = await page.locator(".msg.bot").filter({ has: page.locator(".rate") }).last()
      .locator(".text").textContent();
    await rated.locator(".rate-down").click();
    await page.waitForFunction(() => {
      const root = document.querySelector("#calm-muscle-chat").shadowRoot;
      return /Thank you/.test(Array.from(root.querySelectorAll(".rate-note")).map((n) => n.textContent).join(" "));
    }, null, { timeout: WAIT });
    const afterRating = await widgetState(page);
    const token = await page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY);
    await page.reload();
    await page.locator(".panel").waitFor({ state: "visible", timeout: WAIT });
    await page.waitForFunction(() => {
      const root = document.querySelector("#calm-muscle-chat").shadowRoot;
      return root.querySelectorAll(".log .msg.user").length >= 1;
    }, null, { timeout: WAIT });
    await page.waitForTimeout(300);
    const reloaded = await widgetState(page);
    await context.close();
    return { welcomed, starter, answered, ratedText, afterRating, reloaded,
             sessionId: token.split(".")[1], problems: page.problems };
  },

  // The message box grows with Shift+Enter lines and shrinks when sent; phone numbers and e-mail
  // addresses in an answer are tappable; the keyboard focus ring.
  async composer(browser) {
    const { context, page } = await newPage(browser, DESKTOP);
    await page.goto(SERVER + "/chat");
    await openWidget(page);
    const input = page.locator("#cmw-input");
    const height = () => input.evaluate((el) => el.getBoundingClientRect().height);
    const empty = await height();
    const bots = await botCount(page);
    await input.click();
    await page.keyboard.type("first line");
    for (const line of ["second line", "third line", "fourth line"]) {
      await page.keyboard.press("Shift+Enter");
      await page.keyboard.type(line);
    }
    const grown = await height();
    const value = await input.inputValue();
    const sentWhileTyping = (await botCount(page)) !== bots || (await widgetState(page)).messages.some((m) => m.sender === "user");
    for (let i = 0; i < 12; i++) { await page.keyboard.press("Shift+Enter"); await page.keyboard.type("more"); }
    const capped = await height();
    await input.fill("");
    await input.dispatchEvent("input");
    const shrunk = await height();
    const state = await say(page, "I'd like to talk to a person");
    const afterSend = await height();
    // keyboard focus: every control the Tab key reaches shows the ring
    await input.focus();
    const rings = [];
    for (let i = 0; i < 6; i++) { await page.keyboard.press("Shift+Tab"); rings.push(await focusInfo(page)); }
    await context.close();
    return { empty, grown, capped, shrunk, afterSend, value, sentWhileTyping, state, rings,
             problems: page.problems };
  },

  // Typed markup is shown as text, nothing is executed.
  async markup(browser) {
    const { context, page } = await newPage(browser, DESKTOP);
    await page.goto(SERVER + "/chat");
    await openWidget(page);
    const payload = "<img src=x onerror=alert(1)>";
    const state = await say(page, payload);
    await page.waitForTimeout(300);
    await context.close();
    return { payload, state, dialogs: page.dialogs, problems: page.problems };
  },

  // A second browser context given the first one's token (and its session id) sees nothing of it.
  async isolation(browser) {
    const a = await newPage(browser, DESKTOP);
    await a.page.goto(SERVER + "/chat");
    await openWidget(a.page);
    await say(a.page, "is ice good for a cramp?");
    const victimToken = await a.page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY);
    const victimId = victimToken.split(".")[1];

    // B: the stolen token planted in localStorage before the widget loads.
    const b = await newPage(browser, DESKTOP);
    await b.context.addInitScript(([key, token]) => {
      if (!sessionStorage.getItem("planted")) {
        localStorage.setItem(key, token);
        sessionStorage.setItem("planted", "1");
      }
    }, [TOKEN_KEY, victimToken]);
    await b.page.goto(SERVER + "/chat");
    await b.page.locator(".launcher").click();
    await b.page.waitForFunction(([key, stolen]) => {
      const token = localStorage.getItem(key);
      return token && token !== stolen;
    }, [TOKEN_KEY, victimToken], { timeout: WAIT });
    const widgetB = await widgetState(b.page);
    const tokenB = await b.page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY);

    // B again, by hand: a raw socket presenting A's token, then A's bare id, then a message that
    // names A's session; it listens while A carries on.
    await b.page.addScriptTag({ url: SERVER + "/widget/socket.io.min.js" });
    await b.page.evaluate(([server, token, id]) => new Promise((resolve, reject) => {
      const socket = window.io(server, { forceNew: true });
      window.__raw = { confirms: [], bots: [], turns: 0 };
      const steps = [
        () => socket.emit("session_request", { session_id: id }),
        () => { socket.emit("user_uttered", { message: "hello", session_id: id }); resolve(); },
      ];
      socket.on("session_confirm", (d) => {
        window.__raw.confirms.push(d);
        const step = steps.shift();
        if (step) step();
      });
      socket.on("bot_uttered", (m) => window.__raw.bots.push(m.text));
      socket.on("bot_turn_end", () => { window.__raw.turns += 1; });
      socket.on("connect", () => socket.emit("session_request", { session_id: token }));
      socket.on("connect_error", reject);
    }), [SERVER, victimToken, victimId]);
    await b.page.waitForFunction(() => window.__raw.confirms.length >= 2 && window.__raw.turns >= 1,
                                 null, { timeout: WAIT });
    const heardBefore = await b.page.evaluate(() => window.__raw.bots.length);

    // A carries on while B listens.
    const aAfter = await say(a.page, "what stretches help a calf cramp?");
    await b.page.waitForTimeout(1500);
    const raw = await b.page.evaluate(() => ({
      confirms: window.__raw.confirms.map((c) => ({ restored: c.restored, history: c.history.length, session: c.session_id.split(".")[1] })),
      bots: window.__raw.bots,
    }));
    raw.ownAnswer = raw.bots.slice(0, heardBefore);
    raw.heardWhileVictimTalked = raw.bots.slice(heardBefore);
    const widgetBAfter = await widgetState(b.page);
    // A reloads: its own conversation, without B's "hello".
    await a.page.reload();
    await a.page.waitForFunction(() => {
      const root = document.querySelector("#calm-muscle-chat").shadowRoot;
      return root.querySelectorAll(".log .msg").length >= 4;
    }, null, { timeout: WAIT });
    const aReloaded = await widgetState(a.page);
    await a.context.close();
    await b.context.close();
    return { victimId, widgetB, widgetBAfter, tokenBId: tokenB.split(".")[1], raw, aAfter, aReloaded,
             problems: a.page.problems.concat(b.page.problems) };
  },

  // "Start over": a new session, an empty log; a reload shows only the new conversation.
  async startover(browser) {
    const { context, page } = await newPage(browser, DESKTOP);
    await page.goto(SERVER + "/chat");
    await openWidget(page);
    await say(page, "is ice good for a cramp?");
    const first = await page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY);
    await page.locator(".restart").click();
    await page.locator(".confirm").waitFor({ state: "visible", timeout: WAIT });
    const asked = await widgetState(page);
    await page.keyboard.press("Escape");  // Escape declines (and leaves the chat open)
    const declined = await widgetState(page);
    const tokenDeclined = await page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY);
    await page.locator(".restart").click();
    await page.locator(".confirm-yes").click();
    await page.waitForFunction(([k, old]) => localStorage.getItem(k) && localStorage.getItem(k) !== old,
                               [TOKEN_KEY, first], { timeout: WAIT });
    const cleared = await widgetState(page);
    await say(page, "hello");
    await page.reload();
    await page.locator(".panel").waitFor({ state: "visible", timeout: WAIT });
    await page.waitForFunction(() => {
      const root = document.querySelector("#calm-muscle-chat").shadowRoot;
      return root.querySelectorAll(".log .msg").length >= 2;
    }, null, { timeout: WAIT });
    await page.waitForTimeout(300);
    const reloaded = await widgetState(page);
    await context.close();
    return { asked, declined, keptToken: tokenDeclined === first, cleared, reloaded, problems: page.problems };
  },

  // The widget embedded on another site (an allowed origin), and on a site not allowed.
  async embedded(browser) {
    const allowed = await newPage(browser, DESKTOP);
    await allowed.page.goto(config.embedUrl);
    await openWidget(allowed.page);
    const state = await say(allowed.page, "is ice good for a cramp?");
    const hostIo = await allowed.page.evaluate(() => typeof window.io);
    await allowed.context.close();

    const blocked = await newPage(browser, DESKTOP);
    await blocked.page.goto(config.blockedUrl);
    await blocked.page.locator(".launcher").click();
    await blocked.page.waitForFunction(() => {
      const root = document.querySelector("#calm-muscle-chat").shadowRoot;
      return /reach/.test(root.querySelector(".status").textContent);
    }, null, { timeout: WAIT });
    const blockedState = await widgetState(blocked.page);
    const blockedToken = await blocked.page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY);
    await blocked.context.close();
    return { state, hostIo, blockedState, blockedToken, problems: allowed.page.problems };
  },
};

(async () => {
  const only = config.only || Object.keys(scenarios);
  const results = {};
  const started = Date.now();
  const browser = await chromium.launch({ executablePath: config.chromium, headless: true, args: FLAGS });
  results._browser = browser.version();
  try {
    for (const name of only) {
      const t = Date.now();
      try {
        results[name] = { ok: true, ...(await scenarios[name](browser)) };
      } catch (error) {
        results[name] = { ok: false, error: String(error && error.stack || error) };
      }
      results[name].seconds = (Date.now() - t) / 1000;
    }
  } finally {
    await browser.close();
  }
  results._seconds = (Date.now() - started) / 1000;
  fs.writeFileSync(process.argv[3], JSON.stringify(results, null, 2));
})().catch((error) => { console.error(error); process.exit(1); });
