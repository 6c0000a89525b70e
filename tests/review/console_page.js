// What both console walks (console_browser.js, console_lead_day.js) share: the browser, its flags,
// the list rows as data and screenshots into the folder the test names.
"use strict";
const fs = require("fs");
const path = require("path");

const { chromium } = require(path.resolve(__dirname, "../../web/node_modules/playwright-core"));

const FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];
const WAIT = 30000;

function readConfig() {
  return JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
}

async function rows(page) {
  return page.$$eval("table.list tbody tr[data-conversation]", (trs) => trs.map((tr) => ({
    conversation: tr.getAttribute("data-conversation"),
    cells: Array.from(tr.querySelectorAll("td")).map((td) => td.textContent.trim()),
    flags: Array.from(tr.querySelectorAll(".flag")).map((f) => f.getAttribute("data-code")),
  })));
}

function shooter(folder) {
  return async function shot(page, name) {
    fs.mkdirSync(folder, { recursive: true });
    await page.screenshot({ path: path.join(folder, name), fullPage: true });
  };
}

module.exports = { chromium, FLAGS, WAIT, readConfig, rows, shooter };
