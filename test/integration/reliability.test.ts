// The extension-host rows of the reliability matrix: Stop trace, a responsive host during a
// runaway run, the latest trace wins, trace-on-save, and no leak over 20 traces.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as vscode from "vscode";
import type { Trace } from "../../src/core/trace/schema";
import type { PanelSnapshot } from "../../src/shared/protocol";
import { openPython, setSetting, traceActive, waitFor, workspaceFile } from "./helpers";

const RUNAWAY = "import asyncio\n\nasync def spin():\n    while True:\n        pass\n\nasyncio.run(spin())\n";
const QUICK = (label: string) => `import asyncio\n\nasync def work():\n    await asyncio.sleep(1)\n    print(${JSON.stringify(label)})\n\nasyncio.run(work())\n`;

function writeProgram(name: string, text: string): vscode.Uri {
  const uri = workspaceFile("generated", name);
  fs.mkdirSync(workspaceFile("generated").fsPath, { recursive: true });
  fs.writeFileSync(uri.fsPath, text);
  return uri;
}

function output(trace: Trace): string {
  return trace.events.flatMap((e) => (e.kind === "output" ? [e.text] : [])).join("");
}

/** Forced GC makes the heap comparison meaningful (v8 lets a running process turn it on). */
function collectGarbage(): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("node:v8").setFlagsFromString("--expose-gc");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("node:vm").runInNewContext("gc") as () => void)();
  } catch {
    /* measure without it */
  }
}

const lastTrace = async () => (await vscode.commands.executeCommand("asyncioTrace.lastTrace")) as Trace | undefined;

describe("reliability (extension host)", function () {
  this.timeout(180_000);
  // Programs written for these tests go to generated/ and are removed afterwards.
  after(() => fs.rmSync(workspaceFile("generated").fsPath, { recursive: true, force: true }));
  afterEach(async () => {
    await setSetting("timeBudgetSeconds", undefined);
    await setSetting("traceOnSave", undefined);
    await setSetting("engine", undefined);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("Stop trace ends a runaway program, and the host answers commands in < 200 ms meanwhile", async () => {
    await setSetting("timeBudgetSeconds", 120);
    // Warm the engine first so the measurement covers the run, not the runtime's first load.
    await openPython(writeProgram("warm.py", QUICK("warm")));
    await traceActive();
    await openPython(writeProgram("runaway.py", RUNAWAY));
    const started = Date.now();
    const pending = vscode.commands.executeCommand("asyncioTrace.traceRun") as Thenable<Trace>;
    await new Promise((r) => setTimeout(r, 2000));
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await vscode.commands.executeCommand("asyncioTrace.lastTrace");
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
    await vscode.commands.executeCommand("asyncioTrace.stopTrace");
    const trace = await pending;
    const ms = Date.now() - started;
    assert.equal(trace.status, "stopped");
    assert.ok(ms < 30_000, `the runaway run took ${ms} ms to stop`);
    assert.ok(Math.max(...latencies) < 200, `command latencies during the run: ${latencies.map((l) => l.toFixed(0)).join(", ")} ms`);
  });

  it("a runaway program stops at the time budget and the panel shows the result", async () => {
    await setSetting("timeBudgetSeconds", 2);
    await openPython(writeProgram("runaway-budget.py", RUNAWAY));
    const trace = await traceActive();
    assert.equal(trace.status, "budget");
    const panel = (await vscode.commands.executeCommand("asyncioTrace.panelState")) as PanelSnapshot;
    assert.equal(panel.file, trace.file);
  });

  it("10 MB of output is capped and the panel stays usable", async () => {
    await openPython(writeProgram("flood.py", "import sys\nline = 'x' * 1023 + '\\n'\nfor _ in range(10 * 1024):\n    sys.stdout.write(line)\n"));
    const trace = await traceActive();
    assert.equal(trace.outputTruncated, true);
    const kept = output(trace).length;
    assert.ok(kept < 2 * 2 ** 20, `the host kept ${kept} characters of output`);
    const t0 = performance.now();
    const panel = (await vscode.commands.executeCommand("asyncioTrace.panelState")) as PanelSnapshot;
    const ms = performance.now() - t0;
    assert.equal(panel.file, trace.file);
    // Generous: on a loaded 2-core machine a healthy panel answers in well under a second.
    assert.ok(ms < 5000, `the panel took ${ms.toFixed(0)} ms to answer`);
  });

  it("two traces started at once: the latest wins and both results are correct", async () => {
    await setSetting("timeBudgetSeconds", 30);
    const first = writeProgram("first.py", QUICK("first"));
    const second = writeProgram("second.py", QUICK("second"));
    const p1 = vscode.commands.executeCommand("asyncioTrace.traceRun", first) as Thenable<Trace>;
    const p2 = vscode.commands.executeCommand("asyncioTrace.traceRun", second) as Thenable<Trace>;
    const [t1, t2] = await Promise.all([p1, p2]);
    assert.ok(t1.status === "stopped" || (t1.status === "ok" && output(t1) === "first\n"), `first: ${t1.status} ${output(t1)}`);
    assert.equal(t2.status, "ok");
    assert.equal(output(t2), "second\n");
    assert.equal(t2.file, second.fsPath);
    assert.equal((await lastTrace())?.file, second.fsPath);
    const panel = (await vscode.commands.executeCommand("asyncioTrace.panelState")) as PanelSnapshot;
    assert.equal(panel.file, second.fsPath);
  });

  it("trace-on-save re-runs when the setting is on, and not when it is off", async () => {
    const uri = writeProgram("on_save.py", QUICK("v1"));
    const editor = await openPython(uri);
    await traceActive();
    await setSetting("traceOnSave", true);
    await editor.edit((e) => e.replace(new vscode.Range(4, 0, 4, 100), '    print("v2")'));
    await editor.document.save();
    const t2 = await waitFor("a trace with the saved text", async () => {
      const t = await lastTrace();
      return t && output(t) === "v2\n" ? t : undefined;
    }, 60_000);
    assert.equal(t2.file, uri.fsPath);

    await setSetting("traceOnSave", false);
    await editor.edit((e) => e.replace(new vscode.Range(4, 0, 4, 100), '    print("v3")'));
    await editor.document.save();
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal(output((await lastTrace())!), "v2\n", "saved with traceOnSave off, yet it traced again");
  });

  it("20 traces in a row are all correct and the host's heap stays flat (within 20%)", async () => {
    // The local engine keeps this about the host's side (panel, findings, diagnostics); the
    // embedded engine's 20-run leak check is in test/unit/reliability.test.ts.
    await setSetting("engine", "local");
    await openPython(writeProgram("repeat.py", QUICK("again")));
    const heap: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = await traceActive();
      assert.equal(t.status, "ok");
      assert.equal(output(t), "again\n");
      collectGarbage();
      heap.push(process.memoryUsage().heapUsed);
    }
    const early = Math.max(...heap.slice(2, 5));
    const late = Math.max(...heap.slice(17, 20));
    assert.ok(late <= early * 1.2, `extension host heap grew from ${(early / 2 ** 20).toFixed(1)} to ${(late / 2 ** 20).toFixed(1)} MiB`);
  });
});
