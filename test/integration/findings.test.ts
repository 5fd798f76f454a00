// Runtime findings in a real VS Code: after "Trace async run", the Problems panel holds the run's
// facts (source "asyncio-trace (run)"), hovers show per-line stats, inlay hints show waited and
// blocked time (and go away with the setting), and an edit that moves the lines clears them.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { openPython, setSetting, traceActive, waitFor, workspaceFile } from "./helpers";

const RUN_SOURCE = "asyncio-trace (run)";

function runDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === RUN_SOURCE);
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === "object" ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

async function hoverText(uri: vscode.Uri, line: number, character: number): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", uri, new vscode.Position(line, character))) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === "string" ? c : c.value))
    .join("\n");
}

async function hintLabels(uri: vscode.Uri): Promise<string[]> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = new vscode.Range(0, 0, doc.lineCount, 0);
  const hints = (await vscode.commands.executeCommand<vscode.InlayHint[]>("vscode.executeInlayHintProvider", uri, range)) ?? [];
  return hints.map((h) => `${h.position.line + 1}:${typeof h.label === "string" ? h.label : h.label.map((p) => p.value).join("")}`);
}

describe("runtime findings in the editor", function () {
  this.timeout(180_000);
  const blocked = () => workspaceFile("findings", "loop_blocked.py");

  before(async () => {
    await setSetting("inlineHints", true);
    await openPython(blocked());
    await traceActive();
  });

  after(async () => {
    await setSetting("inlineHints", undefined);
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("puts the loop-blocked fact in the Problems panel at line 15, apart from the static rules", async () => {
    const diagnostics = await waitFor("run diagnostics", () => {
      const d = runDiagnostics(blocked());
      return d.length > 0 ? d : undefined;
    });
    assert.deepEqual(
      diagnostics.map((d) => [codeOf(d), d.range.start.line + 1, d.severity]),
      [["loop-blocked", 15, vscode.DiagnosticSeverity.Warning]],
    );
    assert.match(diagnostics[0].message, /line 15 blocked the event loop for 3\.0 s \(`time\.sleep\(3\)`\); meanwhile Task-2 \(ticker\(\)\) woke 2\.6 s late/);
  });

  it("hovers show runtime stats on await lines and blocking lines", async () => {
    assert.match(await hoverText(blocked(), 7, 10), /suspended 4× · waited 4\.6 s total · in Task-2 \(ticker\(\)\)/);
    assert.match(await hoverText(blocked(), 14, 6), /blocked the loop 1× for 3\.0 s · time\.sleep\(3\) · in Task-1 \(main\(\)\)/);
  });

  it("inlay hints show waited and blocked time, and the setting turns them off", async () => {
    const labels = await hintLabels(blocked());
    assert.ok(labels.includes("8:⏸ 4.6 s"), labels.join(", "));
    assert.ok(labels.includes("15:⛔ 3.0 s"), labels.join(", "));
    await setSetting("inlineHints", false);
    assert.deepEqual(await hintLabels(blocked()), []);
    await setSetting("inlineHints", true);
    assert.ok((await hintLabels(blocked())).length > 0);
  });

  it("a new run replaces the previous run's findings", async () => {
    const neverAwaited = workspaceFile("findings", "never_awaited.py");
    await openPython(neverAwaited);
    await traceActive();
    const diagnostics = await waitFor("the new run's diagnostics", () => {
      const d = runDiagnostics(neverAwaited);
      return d.length > 0 ? d : undefined;
    });
    assert.deepEqual(diagnostics.map((d) => [codeOf(d), d.range.start.line + 1]), [["never-awaited", 11]]);
    assert.deepEqual(runDiagnostics(blocked()), []);
    // Back to the first file for the edit test below.
    await openPython(blocked());
    await traceActive();
    await waitFor("loop_blocked diagnostics again", () => runDiagnostics(blocked()).length > 0 || undefined);
  });

  it("an edit that moves the reported lines clears them", async () => {
    const editor = await openPython(blocked());
    await editor.edit((b) => b.insert(new vscode.Position(2, 0), "\n"));
    await waitFor("run diagnostics cleared", () => runDiagnostics(blocked()).length === 0 || undefined);
    assert.deepEqual(await hintLabels(blocked()), []);
    assert.equal(await hoverText(blocked(), 8, 10).then((t) => /suspended/.test(t)), false);
  });
});
