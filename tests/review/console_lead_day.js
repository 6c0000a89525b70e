// A clinic lead's day in the review console, in a real headless Chromium (Debian's chromium driven
// by playwright-core from web/node_modules). Run by test_console_lead_day.py:
//   node console_lead_day.js config.json results.json
// At her desk (1280 x 900) the lead follows the link of the emergency alert e-mail (signing in on
// the way), opens the work queue (the emergency at the top), opens it, corrects the client message
// the NLU misread, tags it, adds a note, marks it reviewed, and looks at the call-back queue and the
// alerts not delivered. On her phone (390 x 844) she reads the queue, the conversation and the
// call-back queue, and marks the call-back done once she has rung. It records what it saw in the
// results (the Python test asserts on them) and saves screenshots to config.screenshots
// (docs/screenshots/) as console-desktop-lead-*.png and console-phone-lead-*.png.
"use strict";
const fs = require("fs");

const { chromium, FLAGS, WAIT, readConfig, rows, shooter } = require("./console_page");

const config = readConfig();
const shot = shooter(config.screenshots);


function pathOf(page) {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

async function where(page) {
  return {
    path: pathOf(page),
    level: (await page.textContent("#level")).trim(),
    position: (await page.textContent("#position")).trim(),
  };
}

function watch(page) {
  const problems = [];
  page.on("pageerror", (error) => problems.push("pageerror: " + error.message));
  page.on("console", (msg) => { if (msg.type() === "error") problems.push("console: " + msg.text()); });
  page.setDefaultTimeout(WAIT);
  return problems;
}

async function callbackPage(page) {
  return {
    path: pathOf(page),
    open: (await page.textContent("#open-count")).trim(),
    waiting: await page.$$eval("#callbacks-open tbody tr", (trs) => trs.map((tr) => ({
      id: tr.getAttribute("data-callback"),
      tel: (tr.querySelector("a[href^='tel:']") || { href: null }).href,
      conversation: (tr.querySelector("a[href^='/conversations/']") || { textContent: "" }).textContent.trim(),
      text: tr.textContent.replace(/\s+/g, " ").trim(),
    }))),
    done: await page.$$eval("#callbacks-done tbody tr", (trs) => trs.map((tr) =>
      Array.from(tr.querySelectorAll("td")).map((td) => td.textContent.trim()))),
    alertsNotDelivered: await page.$$eval("#alerts-failed tbody tr", (trs) => trs.map((tr) =>
      tr.textContent.replace(/\s+/g, " ").trim())),
    // what each cell says before its value when the tables are cards (a phone): its column's name
    cellLabels: await page.$$eval("table.list tbody td", (tds) => tds.map((td) =>
      getComputedStyle(td, "::before").content)),
  };
}

// At the desk: the alert, the queue, the emergency reviewed and corrected, the call-backs.
async function atTheDesk(browser) {
  const desk = {};
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watch(page);

  // The alert e-mail's link, followed before signing in: the sign-in page, then that conversation.
  await page.goto(config.alertLink);
  desk.alertSignIn = pathOf(page);
  await page.fill("#username", config.lead);
  await page.fill("#password", config.password);
  await Promise.all([page.waitForURL(config.alertLink), page.click("button[type=submit]")]);
  desk.fromAlert = await where(page);

  // The work queue: not reviewed, most urgent first.
  await Promise.all([page.waitForURL("**/conversations"), page.click("nav[aria-label=Main] a[href='/conversations']")]);
  await Promise.all([page.waitForURL("**/conversations?reviewed=no"), page.click("#unreviewed")]);
  desk.queue = await rows(page);
  await shot(page, "console-desktop-lead-queue.png");

  // Open the first.
  await Promise.all([page.waitForURL("**/conversations/*"), page.click("table.list tbody tr a")]);
  desk.opened = await where(page);
  desk.conversationUrl = page.url();
  desk.flags = await page.$$eval("#flags .flag", (fs) => fs.map((f) => f.textContent.trim()));
  desk.transcript = await page.$$eval(".transcript li p", (ps) => ps.map((p) => p.textContent.trim()));
  desk.escalations = await page.$$eval("table.escalations tbody tr", (trs) => trs.map((tr) => tr.textContent.replace(/\s+/g, " ").trim()));

  // Correct the client message the NLU misread: what the client meant.
  const misread = () => page.locator(".transcript li.client", { hasText: config.misread }).first();
  await misread().locator("details.correct summary").click();
  await misread().locator("select[id^=intent-]").selectOption(config.intent);
  await Promise.all([page.waitForNavigation(), misread().locator("form:has(input[value=intent]) button").click()]);
  desk.corrections = await page.$$eval(".transcript li.client", (lis) => lis.map((li) => ({
    text: li.querySelector("p").textContent.trim(),
    corrections: Array.from(li.querySelectorAll(".correction")).map((c) => c.textContent.trim()),
  })).filter((m) => m.corrections.length));

  // Tag, note, mark reviewed.
  await page.fill("#tag", config.tag);
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/tags'] button")]);
  await page.fill("#note", config.note);
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/notes'] button")]);
  await Promise.all([page.waitForNavigation(), page.click("#mark-reviewed")]);
  desk.reviewedStatus = (await page.textContent("#reviewed-status")).trim();
  desk.tags = await page.$$eval("#tags .tag", (ts) => ts.map((t) => t.textContent.trim()));
  desk.notes = await page.$$eval("#notes li p", (ns) => ns.map((n) => n.textContent.trim()));
  await shot(page, "console-desktop-lead-conversation.png");

  // Back to the queue: the emergency is no longer in it.
  await Promise.all([page.waitForURL("**/conversations*"), page.click(".queue-nav a:first-child")]);
  desk.queueAfter = await rows(page);
  desk.queueAfterPath = pathOf(page);

  // The call-back queue, and the alerts that did not get through.
  await Promise.all([page.waitForURL("**/callbacks"), page.click("nav[aria-label=Main] a[href='/callbacks']")]);
  desk.callbacks = await callbackPage(page);
  await shot(page, "console-desktop-lead-callbacks.png");
  desk.problems = problems;
  await context.close();
  return desk;
}

// On her phone: nothing wider than the screen; the call-back marked done once rung.
async function onThePhone(browser, conversationUrl) {
  const phone = {};
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems = watch(page);
  const width = () => page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  await page.goto(config.url + "/login");
  await page.fill("#username", config.lead);
  await page.fill("#password", config.password);
  await Promise.all([page.waitForURL("**/conversations"), page.tap("button[type=submit]")]);
  await page.goto(config.url + "/conversations?reviewed=no");
  phone.queueWidth = await width();
  phone.queue = await rows(page);
  await shot(page, "console-phone-lead-queue.png");
  await page.goto(conversationUrl);
  phone.conversationWidth = await width();
  phone.transcriptTop = await page.$eval(".transcript-pane", (e) => e.getBoundingClientRect().top);
  phone.reviewTop = await page.$eval("aside.review", (e) => e.getBoundingClientRect().top);
  await shot(page, "console-phone-lead-conversation.png");
  await page.goto(config.url + "/callbacks");
  phone.callbacksWidth = await width();
  phone.callbacks = await callbackPage(page);
  await shot(page, "console-phone-lead-callbacks.png");
  // Rung: mark it done.
  await Promise.all([page.waitForNavigation(), page.tap("#callbacks-open tbody tr[data-callback] button")]);
  phone.callbacksAfter = await callbackPage(page);
  phone.callbacksAfterWidth = await width();
  await shot(page, "console-phone-lead-callback-done.png");
  phone.problems = problems;
  await context.close();
  return phone;
}

(async () => {
  const browser = await chromium.launch({ executablePath: config.chromium, headless: true, args: FLAGS });
  let results;
  try {
    const desk = await atTheDesk(browser);
    const phone = await onThePhone(browser, desk.conversationUrl);
    results = { ok: true, browser: browser.version(), desk, phone };
  } catch (error) {
    results = { ok: false, error: String(error && error.stack || error) };
  } finally {
    await browser.close();
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(results, null, 1));
})();
