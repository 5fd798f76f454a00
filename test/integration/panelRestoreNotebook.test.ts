// Two parts of issue 4 the panel suite did not reach: the panel comes back after a window reload
// (through the extension's WebviewPanelSerializer path, with the trace read back from
// globalStorageUri), and "Trace async run" on the selected notebook cell of a real .ipynb
// (including a cell that awaits at top level, as Jupyter allows).
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { Trace } from "../../src/core/trace/schema";
import type { PanelSnapshot } from "../../src/shared/protocol";
import { openPython, traceActive, waitFor, workspaceFile } from "./helpers";

const VIEW_TYPE = "asyncioTrace.panel";

const panelState = async () => vscode.commands.executeCommand<PanelSnapshot | undefined>("asyncioTrace.panelState");

function outputText(trace: Trace): string {
  return trace.events
    .filter((e): e is Extract<Trace["events"][number], { kind: "output" }> => e.kind === "output" && e.stream === "stdout")
    .map((e) => e.text)
    .join("");
}

describe("trace panel: restore after reload, notebook cells", function () {
  this.timeout(120_000);

  after(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("revives a panel of its viewType from the trace kept in globalStorage, as the serializer does on reload", async () => {
    const example = workspaceFile("examples", "gather_two_downloads.py");
    await openPython(example);
    await traceActive();
    await vscode.commands.executeCommand("asyncioTrace.panelStep", 5);
    const before = await waitFor("step 5 in the panel", async () => {
      const s = await panelState();
      return s?.step === 5 ? s : undefined;
    });
    assert.equal(before.lanes.length, 4);

    // Close everything: the panel is disposed and the extension no longer has one.
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await waitFor("the panel to be gone", async () => ((await panelState()) === undefined ? true : undefined));

    // What VS Code does on reload: a fresh panel of our viewType handed to the serializer. The
    // in-memory trace is dropped first (fromDisk), so it must come from globalStorageUri.
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, "restoring…", vscode.ViewColumn.One, {});
    await vscode.commands.executeCommand("asyncioTrace.revivePanelForTest", panel, true);
    const after = await waitFor("the revived panel's state", panelState);

    assert.equal(after.file, example.fsPath);
    assert.equal(after.runId, before.runId, "the same run, read back from disk");
    assert.deepEqual(after.lanes, before.lanes);
    assert.equal(after.totalLabel, "Total 3.0 s of virtual time");
    assert.equal(after.totalLabel, before.totalLabel);
    assert.equal(after.stepCount, before.stepCount);
    assert.equal(after.findings, before.findings);
    assert.equal(panel.title, "Trace: gather_two_downloads.py");
    assert.equal(panel.webview.options.enableScripts, true, "the revived panel gets the extension's webview options");

    // The revived panel is the live one: playback and re-runs drive it.
    await vscode.commands.executeCommand("asyncioTrace.panelStep", 7);
    const stepped = await waitFor("step 7 in the revived panel", async () => {
      const s = await panelState();
      return s?.step === 7 ? s : undefined;
    });
    assert.equal(stepped.file, example.fsPath);
    // lastTrace was refilled from disk by the restore.
    const last = await vscode.commands.executeCommand<Trace | undefined>("asyncioTrace.lastTrace");
    assert.equal(last?.virtualTime, 3);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("traces the selected code cell of a .ipynb (asyncio.run(main()) in the cell)", async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    const uri = workspaceFile("notebooks", "gather_cells.ipynb");
    const nb = await vscode.workspace.openNotebookDocument(uri);
    assert.equal(nb.notebookType, "jupyter-notebook", "VS Code's built-in ipynb extension opened the file");
    assert.equal(nb.cellCount, 3);
    await vscode.window.showNotebookDocument(nb, { selections: [new vscode.NotebookRange(1, 2)] });
    await waitFor("the notebook editor with cell 1 selected", () => {
      const e = vscode.window.activeNotebookEditor;
      return e?.notebook === nb && e.selection.start === 1 ? true : undefined;
    });

    const trace = await traceActive();
    assert.equal(trace.status, "ok", JSON.stringify(trace.uncaught ?? trace.engineError ?? null));
    assert.deepEqual(
      trace.tasks.map((t) => [t.name, t.coro]),
      [
        ["Task-1", "main()"],
        ["Task-2", "fetch('A', 3)"],
        ["Task-3", "fetch('B', 2)"],
      ],
    );
    assert.equal(trace.virtualTime, 3);
    assert.equal(outputText(trace), "start A\nstart B\ndone B\ndone A\n['A', 'B']\n");

    const snap = await waitFor("the panel to show the cell's run", async () => {
      const s = await panelState();
      return s?.lanes.length === 4 ? s : undefined;
    });
    assert.deepEqual(
      snap.lanes.map((l) => l.title).slice(1),
      ["main", "fetch('A', 3)", "fetch('B', 2)"],
    );
    assert.equal(snap.totalLabel, "Total 3.0 s of virtual time");
  });

  it("traces the cell selected now, not a cell editor left active; its top-level await runs as in Jupyter", async () => {
    // Cell 1's editor may still be the active text editor; the notebook's selection is cell 2.
    const uri = workspaceFile("notebooks", "gather_cells.ipynb");
    const nb = await vscode.workspace.openNotebookDocument(uri);
    await vscode.window.showNotebookDocument(nb, { selections: [new vscode.NotebookRange(2, 3)] });
    await waitFor("cell 2 selected", () => (vscode.window.activeNotebookEditor?.selection.start === 2 ? true : undefined));
    const trace = await traceActive();
    assert.equal(trace.file, uri.fsPath);
    assert.ok(!trace.tasks.some((t) => t.coro.startsWith("fetch(")), "cell 1's tasks must not appear");
    // `await wait(1)` at top level is valid in a notebook (the kernel's loop is running): the
    // cell is traced with topLevelAwait, its body the main task on the virtual loop.
    assert.equal(trace.status, "ok", JSON.stringify(trace.uncaught ?? trace.engineError ?? null));
    assert.equal(trace.exitCode, 0);
    assert.equal(trace.uncaught, null);
    assert.equal(outputText(trace), "waited 1\n", "only cell 2's output, cell 1's program must not run");
    assert.deepEqual(
      trace.tasks.map((t) => [t.name, t.coro, t.end.kind]),
      [["Task-1", "<module>()", "result"]],
    );
    assert.equal(trace.virtualTime, 1);

    const snap = await waitFor("the panel to show cell 2's run", async () => {
      const s = await panelState();
      return s?.lanes.length === 2 && s.totalLabel === "Total 1.0 s of virtual time" ? s : undefined;
    });
    assert.equal(snap.file, uri.fsPath);
  });
});
