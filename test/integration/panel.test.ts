// "Trace async run" in a real VS Code: the command opens the panel with the right lanes, clicking a
// bar reveals its line, playback decorates the editor, and the exports write real files.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { Trace } from "../../src/core/trace/schema";
import type { PanelSnapshot } from "../../src/shared/protocol";
import { openPython, traceActive, waitFor, workspaceFile } from "./helpers";

describe("trace panel", function () {
  this.timeout(120_000);
  let trace: Trace;
  const example = () => workspaceFile("examples", "gather_two_downloads.py");

  before(async () => {
    await openPython(example());
    trace = await traceActive();
  });

  after(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("traces the tutorial's gather example: Task-1..3, 3.0 s of virtual time", () => {
    assert.equal(trace.status, "ok");
    assert.deepEqual(
      trace.tasks.map((t) => [t.name, t.coro]),
      [
        ["Task-1", "main()"],
        ["Task-2", "fetch('A', 3)"],
        ["Task-3", "fetch('B', 2)"],
      ],
    );
    assert.equal(trace.virtualTime, 3);
  });

  it("opens the panel with lanes main, fetch('A', 3), fetch('B', 2) and the total", async () => {
    const snap = await waitFor("the panel's state", async () => vscode.commands.executeCommand<PanelSnapshot | undefined>("asyncioTrace.panelState"));
    assert.deepEqual(
      snap.lanes.map((l) => [l.title, l.subtitle]).slice(1),
      [
        ["main", "Task-1"],
        ["fetch('A', 3)", "Task-2"],
        ["fetch('B', 2)", "Task-3"],
      ],
    );
    assert.equal(snap.lanes[0].title, "event loop");
    assert.equal(snap.totalLabel, "Total 3.0 s of virtual time");
    assert.equal(snap.stepCount, 11);
    assert.equal(snap.file, example().fsPath);
  });

  it("clicking a bar reveals and selects its line in the editor", async () => {
    // Task-3's first step ends at `await asyncio.sleep(seconds)` (line 11); its bar carries that seq.
    const step = trace.events.find((e) => e.kind === "step" && e.task === 3)!;
    // Move the cursor away first so the assertion sees the click's effect.
    const editor = await openPython(example());
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand("asyncioTrace.panelClickEvent", step.seq);
    const selected = await waitFor("the editor selection to move to line 11", () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.fsPath === example().fsPath && e.selection.start.line === 10 ? e.selection : undefined;
    });
    assert.equal(selected.end.line, 10);
    assert.ok(selected.end.character > 0, "the whole line is selected");
  });

  it("playback decorates the current line (Task-2 · await asyncio.sleep(3) · t=0.0 s)", async () => {
    await vscode.commands.executeCommand("asyncioTrace.panelStep", 4);
    const deco = await waitFor("the playback decoration", async () => {
      const d = await vscode.commands.executeCommand<{ location: { line: number }; text: string } | null>("asyncioTrace.playbackDecoration");
      return d?.text.startsWith("Task-2 · await") ? d : undefined;
    });
    assert.equal(deco.text, "Task-2 · await asyncio.sleep(3) · t=0.0 s");
    assert.equal(deco.location.line, 11);
    const snap = (await vscode.commands.executeCommand<PanelSnapshot>("asyncioTrace.panelState"))!;
    assert.equal(snap.step, 4);
  });

  it("keeps the playback step when the panel is hidden and shown again", async () => {
    await vscode.commands.executeCommand("asyncioTrace.panelStep", 6);
    await waitFor("step 6", async () => (await vscode.commands.executeCommand<PanelSnapshot>("asyncioTrace.panelState"))?.step === 6 || undefined);
    // Cover the panel with an editor in its own group: VS Code destroys the hidden webview.
    const doc = await vscode.workspace.openTextDocument(example());
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Two, preview: false });
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand("asyncioTrace.showPanel");
    const snap = await waitFor("the panel to come back", async () => vscode.commands.executeCommand<PanelSnapshot | undefined>("asyncioTrace.panelState"));
    assert.equal(snap.step, 6);
    assert.equal(snap.lanes.length, 4);
  });

  it("exports the trace as Chrome Trace JSON, standalone HTML and a text timeline", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asyncio-trace-export-"));
    try {
      const chrome = vscode.Uri.file(path.join(dir, "t.json"));
      await vscode.commands.executeCommand("asyncioTrace.exportTrace", "chrome", chrome);
      const parsed = JSON.parse(fs.readFileSync(chrome.fsPath, "utf8")) as { traceEvents: unknown[] };
      assert.ok(parsed.traceEvents.length > 0);
      const html = vscode.Uri.file(path.join(dir, "t.html"));
      await vscode.commands.executeCommand("asyncioTrace.exportTrace", "html", html);
      const page = fs.readFileSync(html.fsPath, "utf8");
      assert.match(page, /Content-Security-Policy/);
      assert.ok(page.includes("fetch('A', 3)"));
      const text = vscode.Uri.file(path.join(dir, "t.txt"));
      await vscode.commands.executeCommand("asyncioTrace.exportTrace", "text", text);
      assert.match(fs.readFileSync(text.fsPath, "utf8"), /fetch\('A', 3\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("puts a ▶ Trace async run CodeLens above asyncio.run(...)", async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", example());
    const ours = lenses.filter((l) => l.command?.command === "asyncioTrace.traceRun");
    assert.equal(ours.length, 1);
    assert.equal(ours[0].command!.title, "▶ Trace async run");
    assert.equal(ours[0].range.start.line, 21); // asyncio.run(main())
  });

  it("re-running keeps the panel and bumps the run", async () => {
    const before = (await vscode.commands.executeCommand<PanelSnapshot>("asyncioTrace.panelState"))!;
    await openPython(example());
    await traceActive();
    const after = await waitFor("the re-run to reach the panel", async () => {
      const s = await vscode.commands.executeCommand<PanelSnapshot>("asyncioTrace.panelState");
      return s && s.runId !== before.runId ? s : undefined;
    });
    assert.equal(after.lanes.length, before.lanes.length);
    assert.deepEqual(after.window, before.window, "zoom is kept for a re-run of the same file");
  });
});
