// The review console in a real headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core from web/node_modules; no browser is downloaded). Run by test_console_browser.py:
//   node console_browser.js config.json results.json
// One member of staff signs in (after a wrong password), filters the list, opens a conversation,
// marks it reviewed, tags it, finds it among the reviewed ones, exports CSV and JSON, signs out.
// Then a clinic lead walks the work queue: opens the first (most urgent) unreviewed conversation,
// marks it reviewed and opens the next, assigns it to herself, corrects a client message's intent;
// and the same pages are read at a phone's width (390 px).
// It records what it saw in the results; the Python test asserts on them. Screenshots are saved
// to config.screenshots (docs/screenshots/) as console-desktop-*.png and console-phone-*.png.
"use strict";
const fs = require("fs");

const { chromium, FLAGS, WAIT, readConfig, rows, shooter } = require("./console_page");

const config = readConfig();
const shot = shooter(config.screenshots);

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent("download", { timeout: WAIT }),
    page.click(selector)]);
  return { name: file.suggestedFilename(), text: fs.readFileSync(await file.path(), "utf8") };
}


async function run(browser) {
  const seen = {};
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push("pageerror: " + error.message));
  page.on("console", (msg) => { if (msg.type() === "error") problems.push("console: " + msg.text()); });
  page.setDefaultTimeout(WAIT);

  // Anonymous: sent to the sign-in page; a wrong password is refused.
  await page.goto(config.url + "/conversations?level=emergency");
  seen.anonymousUrl = page.url();
  await page.fill("#username", config.username);
  await page.fill("#password", "not the password");
  await page.click("button[type=submit]");
  seen.wrongPassword = (await page.textContent(".error")).trim();
  await shot(page, "console-desktop-sign-in.png");
  problems.length = 0;  // the refused sign-in's 401 is logged by the browser as a failed load

  // Sign in: back to the page first asked for.
  await page.fill("#username", config.username);
  await page.fill("#password", config.password);
  await Promise.all([page.waitForURL("**/conversations?level=emergency"), page.click("button[type=submit]")]);
  seen.afterSignIn = new URL(page.url()).pathname + new URL(page.url()).search;
  seen.emergencyRows = await rows(page);

  // Filter: all levels, red flag dvt_signs, not reviewed.
  await page.goto(config.url + "/conversations");
  seen.total = (await page.textContent("#total")).trim();
  seen.flagOptions = await page.$$eval("#flag option", (os) => os.map((o) => o.textContent.trim()));
  await page.selectOption("#flag", "dvt_signs");
  await page.selectOption("#reviewed", "no");
  await Promise.all([page.waitForURL("**/conversations?**flag=dvt_signs**"), page.click(".filters button[type=submit]")]);
  seen.filtered = await rows(page);
  seen.filteredTotal = (await page.textContent("#total")).trim();
  await shot(page, "console-desktop-list.png");

  // Open it.
  await Promise.all([page.waitForURL("**/conversations/*"), page.click("table.list tbody tr a")]);
  seen.conversation = {
    level: (await page.textContent("#level")).trim(),
    flags: (await page.textContent("#flags")).trim(),
    channel: (await page.textContent("#channel")).trim(),
    transcript: await page.$$eval(".transcript li p", (ps) => ps.map((p) => p.textContent)),
    escalations: await page.$$eval("table.escalations tbody tr", (trs) => trs.map((tr) => tr.textContent)),
  };

  // Mark reviewed, tag, note.
  await Promise.all([page.waitForNavigation(), page.click("#mark-reviewed")]);
  seen.reviewedStatus = (await page.textContent("#reviewed-status")).trim();
  await page.fill("#tag", "called back");
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/tags'] button")]);
  await page.fill("#note", "Rang the client: seeing the GP today.");
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/notes'] button")]);
  seen.tags = await page.$$eval("#tags .tag", (ts) => ts.map((t) => t.textContent));
  seen.notes = await page.$$eval("#notes li p", (ns) => ns.map((n) => n.textContent));
  await shot(page, "console-desktop-conversation.png");

  // The reviewed filter now lists it; the not-reviewed one no longer does.
  await page.goto(config.url + "/conversations?flag=dvt_signs&reviewed=no");
  seen.notReviewedAfter = await rows(page);
  await page.goto(config.url + "/conversations?reviewed=yes");
  seen.reviewedAfter = await rows(page);

  // Export the filtered list.
  await page.goto(config.url + "/conversations?channel=rest");
  seen.csv = await download(page, "#export-csv");
  seen.json = await download(page, "#export-json");

  // The dashboard draws its charts.
  await page.goto(config.url + "/dashboard");
  seen.charts = await page.$$eval("svg.chart", (svgs) => svgs.map((s) => s.getAttribute("aria-label")));
  await shot(page, "console-desktop-dashboard.png");

  // Sign out: the console refuses the next page.
  await Promise.all([page.waitForURL("**/login"), page.click(".signout button")]);
  await page.goto(config.url + "/conversations");
  seen.afterSignOut = new URL(page.url()).pathname;
  seen.problems = problems;
  await context.close();
  seen.lead = await walkTheQueue(browser);
  seen.phone = await onAPhone(browser, seen.lead.conversationUrl);
  return seen;
}

async function signIn(page, username) {
  await page.goto(config.url + "/login");
  await page.fill("#username", username);
  await page.fill("#password", config.password);
  await Promise.all([page.waitForURL("**/conversations"), page.click("button[type=submit]")]);
}

async function where(page) {
  return {
    path: new URL(page.url()).pathname + new URL(page.url()).search,
    level: (await page.textContent("#level")).trim(),
    position: (await page.textContent("#position")).trim(),
  };
}

// The clinic lead's morning: the queue, the most urgent first, reviewed, next, corrected.
async function walkTheQueue(browser) {
  const lead = {};
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push("pageerror: " + error.message));
  page.setDefaultTimeout(WAIT);
  await signIn(page, config.lead);
  await Promise.all([page.waitForURL("**/conversations?reviewed=no"), page.click("#unreviewed")]);
  lead.queue = await rows(page);
  await shot(page, "console-desktop-queue.png");
  await Promise.all([page.waitForURL("**/conversations/*"), page.click("table.list tbody tr a")]);
  lead.first = await where(page);
  lead.firstFlags = await page.$$eval("#flags .flag", (fs) => fs.map((f) => f.textContent.trim()));
  lead.intentsShown = await page.$$eval(".transcript .intent", (is) => is.length);
  await Promise.all([page.waitForNavigation(), page.click("#reviewed-next")]);
  lead.second = await where(page);
  lead.conversationUrl = page.url();
  await page.selectOption("#assign-to", config.lead);
  await Promise.all([page.waitForNavigation(), page.click("form.assign button")]);
  lead.assignee = (await page.textContent("#assignee")).trim();
  // Correct the first client message: what the client meant.
  const message = page.locator(".transcript li.client").first();
  lead.corrected = (await message.locator("p").first().textContent()).trim();
  await message.locator("details.correct summary").click();
  await message.locator("select[id^=intent-]").selectOption(config.intent);
  await Promise.all([page.waitForNavigation(),
    message.locator("form:has(input[value=intent]) button").click()]);
  lead.corrections = await page.$$eval(".transcript li.client .correction", (cs) => cs.map((c) => c.textContent.trim()));
  lead.afterCorrection = await where(page);
  await shot(page, "console-desktop-queue-conversation.png");
  await page.goto(config.url + "/conversations?reviewed=yes");
  lead.reviewed = await rows(page);
  lead.problems = problems;
  await context.close();
  return lead;
}

// A phone: nothing wider than the screen; the transcript above the review forms.
async function onAPhone(browser, conversationUrl) {
  const phone = {};
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  await signIn(page, config.lead);
  const width = () => page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  phone.queueWidth = await width();
  await shot(page, "console-phone-queue.png");
  await page.goto(conversationUrl);
  phone.conversationWidth = await width();
  phone.transcriptTop = await page.$eval(".transcript-pane", (e) => e.getBoundingClientRect().top);
  phone.reviewTop = await page.$eval("aside.review", (e) => e.getBoundingClientRect().top);
  phone.nextVisible = await page.isVisible("#next");
  await shot(page, "console-phone-conversation.png");
  await page.goto(config.url + "/dashboard");
  phone.dashboardWidth = await width();
  await context.close();
  return phone;
}

(async () => {
  const browser = await chromium.launch({ executablePath: config.chromium, headless: true, args: FLAGS });
  let results;
  try {
    results = { ok: true, browser: browser.version(), ...(await run(browser)) };
  } catch (error) {
    results = { ok: false, error: String(error && error.stack || error) };
  } finally {
    await browser.close();
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(results, null, 1));
})();
