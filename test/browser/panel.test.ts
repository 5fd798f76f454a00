// The trace panel in a real browser: the standalone HTML of real traces in Debian's chromium.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { Page } from "playwright-core";
// Browser globals used inside page.evaluate callbacks (this file compiles without the DOM lib).
declare const window: any, document: any, requestAnimationFrame: any, getComputedStyle: any; // eslint-disable-line @typescript-eslint/no-explicit-any

import { Harness, boxes, colourDistance, messages, pngPixels, screenshotDir, snapshot, type DrawnBox } from "./browserHarness";

describe("trace panel (standalone HTML in chromium)", function () {
  this.timeout(60_000);
  const h = new Harness();
  let gatherUrl: string;

  before(async () => {
    await h.start();
    gatherUrl = h.page("gather_two_downloads");
  });
  after(() => h.stop());

  async function wait(page: Page, label: string): Promise<DrawnBox> {
    const b = (await boxes(page)).find((x) => x.kind === "wait" && x.label === label);
    assert.ok(b, `no wait bar labelled ${label}`);
    return b;
  }

  it("shows lanes main, fetch('A', 3), fetch('B', 2) (Task-1..3) under the loop, and a total of 3.0 s", async () => {
    const { page, errors } = await h.open(gatherUrl);
    const lanes = await page.$$eval(".lane-header", (els) => els.map((e) => [e.querySelector(".lane-title")!.textContent, e.querySelector(".lane-subtitle")!.textContent]));
    assert.deepEqual(lanes.slice(1), [
      ["main", "Task-1"],
      ["fetch('A', 3)", "Task-2"],
      ["fetch('B', 2)", "Task-3"],
    ]);
    assert.equal(lanes[0][0], "event loop");
    assert.equal(await page.textContent("#total"), "Total 3.0 s of virtual time");
    assert.match((await page.textContent(".summary"))!, /the waits add up to 5\.0 s — running them concurrently saved 2\.0 s/);
    assert.deepEqual(errors, []);
  });

  it("draws each wait as a bar labelled with what was awaited, to scale", async () => {
    const { page } = await h.open(gatherUrl);
    const a = await wait(page, "sleep(3)");
    const b = await wait(page, "sleep(2)");
    const g = await wait(page, "gather(Task-2, Task-3)");
    assert.ok(Math.abs(b.w / a.w - 2 / 3) < 0.01, `sleep(2) is ${b.w}px, sleep(3) ${a.w}px`);
    assert.equal(a.x, b.x); // both start at t=0
    assert.ok(Math.abs(g.w - a.w) < 1);
    const idle = (await boxes(page)).filter((x) => x.kind === "idle").map((x) => x.label);
    assert.deepEqual(idle, ["clock jumps 0 s → 2 s", "clock jumps 2 s → 3 s"]);
  });

  it("shows a tooltip with task, what was awaited, duration, line and code", async () => {
    const { page } = await h.open(gatherUrl);
    const a = await wait(page, "sleep(3)");
    await page.mouse.move(a.x + a.w / 2, a.y + a.h / 2);
    await page.waitForSelector("#tooltip:not([hidden])");
    const text = (await page.textContent("#tooltip"))!;
    assert.match(text, /Task-2 · fetch\('A', 3\)/);
    assert.match(text, /awaitedsleep\(3\) \(sleep\)/);
    assert.match(text, /time0 s → 3 s \(3 s\)/);
    assert.match(text, /linegather_two_downloads\.py:11/);
    assert.match(text, /codeawait asyncio\.sleep\(seconds\)/);
    await page.mouse.move(5, 5);
    assert.equal(await page.isVisible("#tooltip"), false);
  });

  it("clicking a bar asks the host to reveal its line; clicking a lane highlights the task's lines", async () => {
    const { page } = await h.open(gatherUrl);
    const b = await wait(page, "sleep(2)");
    await page.mouse.click(b.x + b.w / 2, b.y + b.h / 2);
    const reveal = (await messages(page)).filter((m) => m.type === "revealLocation");
    assert.equal(reveal.length, 1);
    assert.equal((reveal[0].location as { line: number }).line, 11);
    assert.equal(reveal[0].focusEditor, true);
    assert.equal((await snapshot(page)).selectedSeq, b.seq);

    await page.click(".lane-header[data-task='3']");
    const hl = (await messages(page)).filter((m) => m.type === "highlightTask");
    assert.equal(hl.at(-1)!.task, 3);
    assert.deepEqual((hl.at(-1)!.lines as { line: number }[]).map((l) => l.line), [9, 11]);
    assert.equal(await page.getAttribute(".lane-header[data-task='3']", "aria-selected"), "true");
  });

  it("plays through the ①–⑪ steps, highlighting the step in both views and telling the editor", async () => {
    const { page } = await h.open(gatherUrl);
    for (let i = 0; i < 5; i++) await page.click("#next");
    assert.equal(await page.textContent(".step-label"), "Step 5/11: await asyncio.sleep(3) → back to the loop");
    const decoration = (await messages(page)).filter((m) => m.type === "stepChanged").at(-1)!;
    assert.equal(decoration.text, "Task-2 · await asyncio.sleep(3) · t=0.0 s");
    assert.equal((decoration.location as { line: number }).line, 11);
    // The timeline selects the step's event (Task-2's step) and the sequence row is current.
    const snap = await snapshot(page);
    const sel = (await boxes(page)).filter((x) => x.seq === snap.selectedSeq).map((x) => x.task);
    assert.ok(sel.length > 0 && sel.every((t) => t === 2));
    await page.click("vscode-tab-header[data-view=sequence]");
    const current = await page.textContent(".seq-row.current");
    assert.match(current!, /^⑤/);
    const rows = await page.$$eval(".seq-row", (els) => els.map((e) => e.querySelector(".seq-num")!.textContent).filter((n) => n));
    assert.deepEqual(rows, ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩", "⑪"]);

    // Keyboard: P goes back, N forward; Play advances on its own and Pause stops it.
    await page.keyboard.press("p");
    assert.match((await page.textContent(".step-label"))!, /^Step 4\/11: run Task-2/);
    await page.click("#play");
    await page.waitForFunction(() => document.querySelector(".step-label")!.textContent!.startsWith("Step 6/11"), undefined, { timeout: 5000 });
    await page.click("#play");
    const paused = (await snapshot(page)).step;
    await page.waitForTimeout(1200);
    assert.equal((await snapshot(page)).step, paused);
  });

  it("zooms with the wheel around the pointer, pans by dragging and with the keyboard, and fits", async () => {
    const { page } = await h.open(gatherUrl);
    const before = (await snapshot(page)).window;
    const b = await wait(page, "sleep(2)");
    // The end of B's wait is at t=2: zoom in there and it must stay under the pointer.
    const x = b.x + b.w;
    await page.mouse.move(x, b.y + b.h / 2);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((span) => {
      const w = (window as unknown as { __asyncioTrace: { snapshot(): { window: { t0: number; t1: number } } } }).__asyncioTrace.snapshot().window;
      return w.t1 - w.t0 < span * 0.6;
    }, before.t1 - before.t0);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    const after = await wait(page, "sleep(2)");
    assert.ok(Math.abs(after.x + after.w - x) < 2, `t=2 moved from ${x} to ${after.x + after.w}`);

    const w1 = (await snapshot(page)).window;
    await page.mouse.move(x, b.y + b.h / 2 + 40);
    await page.mouse.down();
    await page.mouse.move(x - 200, b.y + b.h / 2 + 40, { steps: 5 });
    await page.mouse.up();
    const w2 = (await snapshot(page)).window;
    assert.ok(w2.t0 > w1.t0, "dragging left moves later times into view");
    assert.ok(Math.abs(w2.t1 - w2.t0 - (w1.t1 - w1.t0)) < 1e-9, "panning keeps the zoom");

    await page.focus(".timeline-canvas");
    await page.keyboard.press("ArrowLeft");
    assert.ok((await snapshot(page)).window.t0 < w2.t0);
    await page.keyboard.press("+");
    const w3 = (await snapshot(page)).window;
    assert.ok(w3.t1 - w3.t0 < w2.t1 - w2.t0);
    await page.click("#fit");
    assert.deepEqual((await snapshot(page)).window, before);
  });

  it("works from the keyboard: Tab walks the bars, Enter reveals, lanes and steps have labels", async () => {
    const { page } = await h.open(gatherUrl);
    await page.focus(".timeline-canvas");
    await page.keyboard.press("Tab");
    const first = (await page.textContent(".timeline .sr-only"))!;
    assert.match(first, /^(runs|waits on|loop idle)/);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const third = (await page.textContent(".timeline .sr-only"))!;
    assert.notEqual(third, first);
    await page.keyboard.press("Enter");
    const reveal = (await messages(page)).filter((m) => m.type === "revealLocation");
    assert.equal(reveal.length, 1, "Enter reveals the focused bar's line");
    assert.equal(await page.getAttribute(".lane-header[data-task='2']", "aria-label"), "Task-2: fetch('A', 3)");
    assert.ok((await page.getAttribute(".timeline-canvas", "aria-label"))!.includes("Arrow keys pan"));
    for (const id of ["prev", "play", "next", "zoom-in", "zoom-out", "fit"]) assert.ok(await page.getAttribute(`#${id}`, "aria-label"), `#${id} has no aria-label`);
    // Choosing a row of the sequence view jumps playback there.
    await page.click("vscode-tab-header[data-view=sequence]");
    await page.click(".seq-row[data-index='4']");
    assert.equal((await snapshot(page)).step, 4);
    assert.equal(await page.getAttribute(".seq-row.current", "aria-current"), "step");
    assert.match((await page.getAttribute(".seq-row.current", "aria-label"))!, /^step 5: await asyncio\.sleep\(3\)/);
  });

  it("keeps zoom, step and view across a reload (webview state)", async () => {
    const { page } = await h.open(gatherUrl);
    await page.click("#zoom-in");
    await page.click("#next");
    await page.click("#next");
    await page.click("vscode-tab-header[data-view=sequence]");
    const before = await snapshot(page);
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __asyncioTrace?: unknown }).__asyncioTrace !== undefined);
    const after = await snapshot(page);
    assert.deepEqual(after.window, before.window);
    assert.equal(after.step, 1);
    assert.equal(after.view, "sequence");
    assert.equal(await page.isVisible(".seq-row.current"), true);
  });

  it("draws a time.sleep as a warning span and lists the findings, each linked to its line", async () => {
    const { page, errors } = await h.open(h.page("blocking_sleep"));
    const blocked = (await boxes(page)).filter((x) => x.kind === "blocked" || x.kind === "blocked-step");
    assert.deepEqual(blocked.map((x) => x.label).sort(), ["blocked 2 s", "time.sleep(2)"]);
    await page.click("vscode-tab-header[data-view=findings]");
    const items = await page.$$eval(".finding", (els) => els.map((e) => e.querySelector(".finding-code")!.textContent));
    assert.ok(items.includes("loop-blocked"), `findings: ${items.join(", ")}`);
    await page.click(`.finding:nth-child(${items.indexOf("loop-blocked") + 1})`);
    const reveal = (await messages(page)).filter((m) => m.type === "revealLocation").at(-1)!;
    assert.equal((reveal.location as { line: number }).line, 18);
    assert.equal((await snapshot(page)).view, "timeline");
    assert.deepEqual(errors, []);
  });

  it("shows a deadlock as a result naming the waiting tasks", async () => {
    const { page } = await h.open(h.page("deadlock_queue"));
    const banner = (await page.textContent(".banner"))!;
    assert.match(banner, /Deadlock: nothing is ready and no timer is pending\./);
    assert.match(banner, /Task-1 \(main\(\)\) waits on/);
    assert.match(banner, /Task-2 \(worker\(.*\)\) waits on Queue\.get/);
    assert.equal(await page.textContent(".status-badge"), "deadlock");
    // The waits that never ended run to the right edge, dashed, labelled with what they wait on.
    const open = (await boxes(page)).filter((x) => x.kind === "wait");
    assert.deepEqual(open.map((x) => x.label).sort(), ["Queue.get", "Queue.get"]);
    const canvas = (await page.$(".timeline-canvas"))!;
    const cb = (await canvas.boundingBox())!;
    assert.ok(open.every((x) => x.x + x.w >= cb.x + cb.width - 1), "open waits reach the right edge");
  });

  it("lists the program's output with time and task, the exit status and the engine", async () => {
    const { page } = await h.open(gatherUrl);
    await page.click("vscode-tab-header[data-view=output]");
    const lines = await page.$$eval(".output-line", (els) => els.map((e) => Array.from(e.children, (c) => (c as { textContent: string }).textContent).join("|")));
    assert.deepEqual(lines, ["t=0 s|Task-2|A: started", "t=0 s|Task-3|B: started", "t=2 s|Task-3|B: finished", "t=3 s|Task-2|A: finished", "t=3 s|Task-1|['A', 'B']", "t=3 s|—|elapsed 3.0 s"]);
    const footer = (await page.textContent(".output-footer"))!;
    assert.match(footer, /Exit status 0 \(ok\)/);
    assert.match(footer, /local engine · Python 3\./);
  });

  it("takes non-blank screenshots of the timeline and the sequence view, in dark and light themes", async () => {
    for (const scheme of ["dark", "light"] as const) {
      const { page } = await h.open(gatherUrl, { colorScheme: scheme, width: 1100, height: 520 });
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, scheme === "dark" ? "rgb(31, 31, 31)" : "rgb(255, 255, 255)");
      const a = await wait(page, "sleep(3)");
      const b = await wait(page, "sleep(2)");
      const png = await page.screenshot();
      const px = await pngPixels(h.browser, png, [
        [a.x + a.w * 0.75, a.y + a.h - 3], // inside A's wait bar
        [b.x + b.w + 40, b.y + b.h / 2], // lane B after its wait ended: background
        [1095, 515], // page background
      ]);
      assert.ok(px.distinctColours > 20, `screenshot looks blank (${px.distinctColours} colours)`);
      assert.ok(colourDistance(px.pixels[0], px.pixels[2]) > 40, `A's bar ${px.pixels[0]} is not visible on ${px.pixels[2]}`);
      assert.ok(colourDistance(px.pixels[1], px.pixels[0]) > 40, "lane B is drawn after its wait ended");
      if (scheme === "dark") {
        await page.screenshot({ path: path.join(screenshotDir(), "timeline.png") });
        await page.click("#next");
        for (let i = 0; i < 4; i++) await page.click("#next");
        await page.click("vscode-tab-header[data-view=sequence]");
        await page.waitForSelector(".seq-row.current");
        const seqPng = await page.screenshot({ path: path.join(screenshotDir(), "sequence.png") });
        const cur = (await page.$(".seq-row.current"))!;
        const box = (await cur.boundingBox())!;
        const spx = await pngPixels(h.browser, seqPng, [
          [box.x + box.width - 20, box.y + box.height / 2],
          [1095, 515],
        ]);
        assert.ok(spx.distinctColours > 20);
        assert.ok(colourDistance(spx.pixels[0], spx.pixels[1]) > 20, "the current step is highlighted");
      }
    }
  });
});

describe("trace panel theming and language", function () {
  this.timeout(60_000);
  const h = new Harness();
  before(() => h.start());
  after(() => h.stop());

  it("repaints with VS Code's high-contrast colours when the theme variables change", async () => {
    const { page } = await h.open(h.page("gather_two_downloads"), { colorScheme: "light", width: 1000, height: 480 });
    // What VS Code does on a theme switch: new --vscode-* values on <html style>, a new body class.
    await page.evaluate(() => {
      const hc: Record<string, string> = {
        "--vscode-editor-background": "#000000",
        "--vscode-editor-foreground": "#ffffff",
        "--vscode-foreground": "#ffffff",
        "--vscode-descriptionForeground": "#ffffff",
        "--vscode-charts-blue": "#3794ff",
        "--vscode-charts-green": "#89d185",
        "--vscode-list-hoverBackground": "#000000",
        "--vscode-focusBorder": "#f38518",
        "--vscode-editorWarning-foreground": "#ffd700",
      };
      for (const [k, v] of Object.entries(hc)) document.documentElement.style.setProperty(k, v);
      document.body.className = "vscode-high-contrast";
    });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const a = (await boxes(page)).find((x) => x.kind === "wait" && x.label === "sleep(3)")!;
    const b = (await boxes(page)).find((x) => x.kind === "wait" && x.label === "sleep(2)")!;
    const png = await page.screenshot();
    const px = await pngPixels(h.browser, png, [
      [b.x + b.w + 30, b.y + b.h / 2], // lane background after B's wait
      // A's bar outline (the charts blue): the 1-px line is on one of these rows.
      [a.x + a.w * 0.6, a.y - 1],
      [a.x + a.w * 0.6, a.y],
      [a.x + a.w * 0.6, a.y + 1],
    ]);
    assert.deepEqual(px.pixels[0].slice(0, 3), [0, 0, 0]);
    const outline = Math.max(...px.pixels.slice(1).map((c) => colourDistance(c, [0, 0, 0, 255])));
    assert.ok(outline > 150, `A's bar ${JSON.stringify(px.pixels.slice(1))} is not readable on black`);
  });

  it("shows the sequence view in the tutorial's Traditional Chinese for a zh-tw reader", async () => {
    const { page } = await h.open(h.page("gather_two_downloads", undefined, "zh-tw"), { width: 1100, height: 560 });
    assert.equal(await page.getAttribute("html", "lang"), "zh-Hant-TW");
    await page.click("vscode-tab-header[data-view=sequence]");
    for (let i = 0; i < 8; i++) await page.click("#next");
    const labels = await page.$$eval(".seq-row .seq-label", (els) => els.map((e) => e.textContent));
    assert.ok(labels.includes("計時器到期,喚醒 Task-3"), labels.join(" | "));
    assert.ok(labels.includes("await asyncio.sleep(3),把控制權交回事件迴圈"));
    const decoration = (await messages(page)).filter((m) => m.type === "stepChanged").at(-1)!;
    assert.equal(decoration.text, "Task-3 · 計時器到期,喚醒 Task-3 · t=2.0 s");
    await page.screenshot({ path: path.join(screenshotDir(), "sequence.zh-tw.png") });
  });
});
