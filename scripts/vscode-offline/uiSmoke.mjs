#!/usr/bin/env node
// UI smoke test through the browser, the way a user works: F1 → "Trace async run", read the
// trace panel's DOM through its webview frame (lanes, labels, total time), click a bar and see
// the editor's cursor move, see the Problems panel entries, and save screenshots (checked not
// blank) under test-artifacts/.
//   node scripts/vscode-offline/uiSmoke.mjs [--vsix x.vsix] [--keep]
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureCodeServer, installVsix, launchBrowser, makeRunDir, makeWorkspace, removeRunDir, REPO, startCodeServer, workbenchUrl } from "./codeServer.mjs";

const argv = process.argv.slice(2);
const vsixArg = argv.indexOf("--vsix") >= 0 ? resolve(argv[argv.indexOf("--vsix") + 1]) : undefined;
const keep = argv.includes("--keep");
const ARTIFACTS = join(REPO, "test-artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

const results = [];
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false, error: e });
    console.log(`  ✘ ${name}\n    ${String(e?.stack ?? e).split("\n").slice(0, 6).join("\n    ")}`);
  }
}
function expect(cond, message) {
  if (!cond) throw new Error(message);
}

const entry = ensureCodeServer();
const runDir = makeRunDir();
const workspace = makeWorkspace(runDir);
// A runaway program, and a short budget so the panel's "stopped at the time budget" shows quickly.
writeFileSync(join(workspace, "runaway.py"), "import asyncio\n\nasync def spin():\n    while True:\n        pass\n\nasyncio.run(spin())\n");
mkdirSync(join(workspace, ".vscode"), { recursive: true });
writeFileSync(join(workspace, ".vscode", "settings.json"), JSON.stringify({ "asyncioTrace.timeBudgetSeconds": 4 }));
if (vsixArg) installVsix(entry, runDir, vsixArg);
const server = await startCodeServer(entry, runDir, { log: (s) => process.env.ASYNCIO_TRACE_E2E_VERBOSE && process.stderr.write(s) });
const label = vsixArg ? "VSIX" : "dev";
console.log(`[ui-smoke:${label}] code-server pid ${server.pid} on ${server.url}`);
const context = await launchBrowser(runDir);
const page = context.pages()[0] ?? (await context.newPage());

/** Counts distinct colours in a PNG (decoded by the browser itself): blank ≈ 1–2 colours. */
async function distinctColours(png) {
  const probe = await context.newPage();
  try {
    return await probe.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement("canvas");
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext("2d");
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return seen.size;
    }, png.toString("base64"));
  } finally {
    await probe.close();
  }
}

async function screenshot(name, target) {
  const png = await target.screenshot();
  const file = join(ARTIFACTS, `${label.toLowerCase()}-${name}.png`);
  writeFileSync(file, png);
  const colours = await distinctColours(png);
  expect(colours >= 8, `${file} looks blank (${colours} colours)`);
  return file;
}

async function runCommand(title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 15_000 });
  await input.fill(`>${title}`);
  // The list filters as we type; wait for the exact entry, then run it.
  await page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press("Enter");
}

/** Keyboard focus back to the workbench (a focused webview keeps F1 / Ctrl+P to itself). */
async function focusWorkbench() {
  const editor = page.locator(".editor-group-container .monaco-editor .view-lines").first();
  if (await editor.count()) await editor.click({ position: { x: 5, y: 5 } });
  else await page.locator(".explorer-folders-view, .explorer-viewlet").first().click();
}

async function openFile(relPath) {
  await focusWorkbench();
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 15_000 });
  await input.fill(relPath);
  const base = relPath.split("/").pop();
  // Click the row naming exactly this file (the list also offers recent files and near matches).
  const row = page.locator(".quick-input-list .monaco-list-row", { has: page.locator(".label-name", { hasText: new RegExp(`^${base.replace(/\./g, "\\.")}$`) }) });
  await row.first().waitFor({ timeout: 15_000 });
  await row.first().click();
  await page.locator(`.tabs-container .tab[aria-label*="${base}"]`).first().waitFor({ timeout: 20_000 });
  await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout: 20_000 });
}

/** The trace panel's content frame, once its timeline has lanes. */
async function panelFrame(timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      try {
        if ((await f.locator(".lane-headers .lane-title").count()) > 0) return f;
      } catch {
        /* frame navigating */
      }
    }
    await page.waitForTimeout(500);
  }
  throw new Error("the trace panel did not appear with lanes");
}

async function cursorLine() {
  const text = await page.locator("#status\\.editor\\.selection").innerText({ timeout: 10_000 });
  const m = /Ln (\d+)/.exec(text);
  expect(m, `no cursor position in the status bar: ${text}`);
  return Number(m[1]);
}

try {
  await page.goto(workbenchUrl(server, workspace, vsixArg ? {} : { devPath: REPO }));
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  await page.locator(".explorer-folders-view, .explorer-viewlet").first().waitFor({ timeout: 60_000 });

  let frame;
  await check("F1 → Trace async run opens the panel with the gather example's lanes", async () => {
    await openFile("examples/gather_two_downloads.py");
    await runCommand("asyncio-trace: Trace async run");
    frame = await panelFrame();
    const titles = await frame.locator(".lane-headers .lane-title").allInnerTexts();
    const subtitles = await frame.locator(".lane-headers .lane-subtitle").allInnerTexts();
    const lanes = titles.map((t, i) => `${t} ${subtitles[i] ?? ""}`);
    expect(lanes.length === 4, `expected the loop lane + 3 task lanes, got: ${lanes.join(" | ")}`);
    const all = lanes.join(" | ");
    for (const want of ["Task-1", "Task-2", "Task-3"]) expect(all.includes(want), `no lane for ${want}: ${all}`);
    expect(/fetch/.test(all), `lane labels do not name the coroutine fetch: ${all}`);
    const total = await frame.locator("#total").innerText();
    expect(/3(\.0+)?\s*s/.test(total), `total time label: ${JSON.stringify(total)}`);
  });

  await check("screenshot of the trace panel is not blank", async () => {
    await screenshot("panel", page.locator(".webview.ready, iframe.webview").last());
  });

  await check("clicking a bar in the timeline moves the editor's cursor to its line", async () => {
    expect(frame, "no panel");
    // Put the cursor somewhere known first: line 1.
    await page.locator(".monaco-editor .view-lines").first().click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("Control+Home");
    const before = await cursorLine();
    // Task B's lane (fetch('B', 2)): its sleep(2) wait bar spans t=0..2 of the 3 s run.
    const headers = frame.locator(".lane-headers [data-lane]");
    const n = await headers.count();
    let laneBox;
    for (let i = 0; i < n; i++) {
      const text = await headers.nth(i).innerText();
      if (/fetch\('B'/.test(text)) laneBox = await headers.nth(i).boundingBox();
    }
    expect(laneBox, "no lane for fetch('B', 2)");
    const canvas = frame.locator("canvas.timeline-canvas");
    const box = await canvas.boundingBox();
    // Try points along the lane until one is a bar (the cursor turns to a pointer over bars).
    let clicked = false;
    for (const fx of [0.3, 0.2, 0.4, 0.15, 0.5, 0.1]) {
      const x = box.x + box.width * fx;
      const y = laneBox.y + laneBox.height / 2;
      await page.mouse.move(x, y);
      await page.waitForTimeout(100);
      const cursor = await canvas.evaluate((c) => c.style.cursor);
      if (cursor === "pointer") {
        await page.mouse.click(x, y);
        clicked = true;
        break;
      }
    }
    expect(clicked, "found no bar under the pointer on fetch('B')'s lane");
    const deadline = Date.now() + 10_000;
    let after = before;
    while (Date.now() < deadline && after === before) {
      await page.waitForTimeout(300);
      after = await cursorLine();
    }
    expect(after !== before, `the cursor stayed on line ${before}`);
    expect(after >= 9 && after <= 13, `the cursor moved to line ${after}, outside fetch() (lines 9–13)`);
  });

  await check("screenshot of the editor is not blank", async () => {
    await screenshot("editor", page.locator(".editor-group-container").first());
  });

  await check("runtime findings show in the Problems panel", async () => {
    await openFile("findings/loop_blocked.py");
    await runCommand("asyncio-trace: Trace async run");
    await page.waitForTimeout(1000);
    await runCommand("View: Focus Problems");
    const rows = page.locator(".markers-panel .monaco-list-row");
    const deadline = Date.now() + 60_000;
    let texts = [];
    while (Date.now() < deadline) {
      texts = await rows.allInnerTexts();
      if (texts.some((t) => t.includes("asyncio-trace (run)"))) break;
      await page.waitForTimeout(500);
    }
    expect(texts.some((t) => t.includes("asyncio-trace (run)")), `Problems rows: ${JSON.stringify(texts)}`);
    expect(texts.some((t) => /loop-blocked/.test(t)), `no loop-blocked entry: ${JSON.stringify(texts)}`);
    await screenshot("problems", page.locator(".markers-panel").first());
  });

  /** Waits until the panel's text says `pattern` (its header and banner), returning that text. */
  async function panelSays(pattern, timeoutMs = 90_000) {
    const deadline = Date.now() + timeoutMs;
    let text = "";
    while (Date.now() < deadline) {
      const f = await panelFrame();
      text = await f.locator("body").innerText().catch(() => "");
      if (pattern.test(text)) return text;
      await page.waitForTimeout(500);
    }
    throw new Error(`the panel never said ${pattern}: ${JSON.stringify(text.slice(0, 400))}`);
  }

  await check("a runaway `while True: pass` stops at the budget and the panel says so", async () => {
    await openFile("runaway.py");
    await runCommand("asyncio-trace: Trace async run");
    await panelSays(/Stopped at the time budget/);
    const badge = await (await panelFrame()).locator(".status-badge").innerText();
    expect(/budget/.test(badge), `status badge: ${badge}`);
  });

  await check("a deadlock shows in the panel naming the waiting tasks", async () => {
    await openFile("findings/deadlock_event.py");
    await runCommand("asyncio-trace: Trace async run");
    const text = await panelSays(/Deadlock/);
    expect(/Task-\d+ \(.+\) waits on/.test(text), `the deadlock banner names no waiting task: ${JSON.stringify(text.slice(0, 400))}`);
    await screenshot("deadlock", page.locator(".webview.ready, iframe.webview").last());
  });

  await check("full workbench screenshot is not blank", async () => {
    await screenshot("workbench", page);
  });
} catch (e) {
  results.push({ name: "setup", ok: false, error: e });
  console.log(`  ✘ setup: ${e?.stack ?? e}`);
  await page.screenshot({ path: join(ARTIFACTS, `${label.toLowerCase()}-failure.png`) }).catch(() => {});
} finally {
  await context.close().catch(() => {});
  await server.stop();
  if (!keep) removeRunDir(runDir);
}

const failed = results.filter((r) => !r.ok);
if (failed.length) await Promise.resolve();
console.log(`[ui-smoke:${label}] ${results.length - failed.length} passing, ${failed.length} failing; screenshots in test-artifacts/`);
process.exit(failed.length || results.length === 0 ? 1 : 0);
