// Smoke tests of the product as a user meets it, inside a real extension host. They also run
// against the installed VSIX (scripts/vscode-offline/e2e.mjs greps for "smoke").
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as vscode from "vscode";
import type { PanelSnapshot } from "../../src/shared/protocol";
import { openPython, traceActive, waitFor, workspaceFile } from "./helpers";

function output(trace: { events: { kind: string; text?: string }[] }): string {
  return trace.events.flatMap((e) => (e.kind === "output" && e.text ? [e.text] : [])).join("");
}

describe("smoke: Trace async run", function () {
  this.timeout(120_000);
  after(() => vscode.commands.executeCommand("workbench.action.closeAllEditors"));

  it("traces the tutorial's gather example: right tasks, 3 s total, and the panel shows their lanes", async () => {
    const editor = await openPython(workspaceFile("examples", "gather_two_downloads.py"));
    const trace = await traceActive();
    assert.equal(trace.status, "ok", trace.engineError ?? JSON.stringify(trace.uncaught));
    assert.equal(trace.file, editor.document.uri.fsPath);
    assert.equal(trace.virtualTime, 3);
    const coros = trace.tasks.map((t) => t.coro);
    assert.equal(trace.tasks.length, 3, coros.join(", "));
    assert.ok(coros.some((c) => /^main\(/.test(c)), coros.join(", "));
    assert.ok(coros.some((c) => /fetch\('A', 3\)/.test(c)), coros.join(", "));
    assert.ok(coros.some((c) => /fetch\('B', 2\)/.test(c)), coros.join(", "));
    assert.match(output(trace), /A: started\nB: started\nB: finished\nA: finished\n/);

    const panel = (await vscode.commands.executeCommand("asyncioTrace.panelState")) as PanelSnapshot;
    assert.equal(panel.file, trace.file);
    assert.equal(panel.lanes.length, 4, `lanes: ${panel.lanes.map((l) => l.title).join(", ")}`); // loop + 3 tasks
    const laneText = panel.lanes.map((l) => `${l.title} ${l.subtitle}`).join(" | ");
    for (const name of trace.tasks.map((t) => t.name)) assert.ok(laneText.includes(name), `${name} has no lane: ${laneText}`);
    assert.match(panel.totalLabel, /3(\.0+)?\s*s/);
  });

  it("runtime findings appear in the Problems panel with source \"asyncio-trace (run)\"", async () => {
    // A private copy: other suites edit findings/loop_blocked.py in their own tests.
    const original = workspaceFile("findings", "loop_blocked.py");
    const copy = workspaceFile("smoke_loop_blocked.py");
    fs.copyFileSync(original.fsPath, copy.fsPath);
    const editor = await openPython(copy);
    const sleepLine = editor.document.getText().split("\n").findIndex((l) => /^\s+time\.sleep\(3\)/.test(l));
    assert.ok(sleepLine > 0, `no time.sleep(3) in ${copy.fsPath}: ${JSON.stringify(editor.document.getText().slice(0, 300))}`);
    const trace = await traceActive();
    assert.equal(trace.status, "ok", trace.engineError ?? "");
    const run = await waitFor("run diagnostics", () => {
      const d = vscode.languages.getDiagnostics(editor.document.uri).filter((x) => x.source === "asyncio-trace (run)");
      return d.length ? d : undefined;
    });
    const codes = run.map((d) => (typeof d.code === "object" ? d.code.value : d.code));
    assert.ok(codes.includes("loop-blocked"), `codes: ${codes.join(", ")}`);
    const blocked = run.find((d) => (typeof d.code === "object" ? d.code.value : d.code) === "loop-blocked")!;
    assert.equal(blocked.range.start.line, sleepLine, `the finding points at time.sleep(3) (line ${sleepLine + 1})`);
    fs.rmSync(copy.fsPath, { force: true });
  });

  it("clicking a bar in the panel moves the editor selection to its line", async () => {
    const editor = await openPython(workspaceFile("examples", "gather_two_downloads.py"));
    const trace = await traceActive();
    // A step of fetch('B', 2) that suspended at the `await asyncio.sleep(seconds)` line.
    const b = trace.tasks.find((t) => /fetch\('B', 2\)/.test(t.coro))!;
    const step = trace.events.find((e) => e.kind === "step" && e.task === b.id && e.suspended?.line);
    assert.ok(step && step.kind === "step" && step.suspended);
    const line = step.suspended.line - 1;
    // Move the selection away first, so the assertion sees the panel's doing.
    const top = await vscode.window.showTextDocument(editor.document, { selection: new vscode.Range(0, 0, 0, 0) });
    assert.equal(top.selection.active.line, 0);
    await vscode.commands.executeCommand("asyncioTrace.panelClickEvent", step.seq);
    await waitFor(`selection on line ${line + 1}`, () => {
      const ed = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === editor.document.uri.toString());
      return ed && ed.selection.active.line === line ? true : undefined;
    });
  });
});
