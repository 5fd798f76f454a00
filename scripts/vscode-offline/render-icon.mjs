#!/usr/bin/env node
// Renders media/icon.svg to media/icon.png (128x128, transparent corners) with Debian's chromium.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { REPO, CHROMIUM } from "./codeServer.mjs";

const svg = readFileSync(join(REPO, "media/icon.svg"), "utf8");
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.screenshot({ path: join(REPO, "media/icon.png"), omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
await browser.close();
console.log("wrote media/icon.png");
