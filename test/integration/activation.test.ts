// Activation must stay lazy and cheap: the WebAssembly runtime and the parser load on first use.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { extension, openPython, workspaceFile } from "./helpers";

/**
 * Counts what "heavy" means here: WebAssembly compiled in the extension host (tree-sitter) and
 * worker threads started (the embedded Python engine runs in one).
 */
function spyOnHeavyLoads(): { wasm: number; workers: number; restore(): void } {
  const counts = { wasm: 0, workers: 0 };
  const WA = (globalThis as unknown as { WebAssembly: Record<string, unknown> & { Module: new (...a: unknown[]) => object } }).WebAssembly;
  const wa = WA as Record<string, unknown>;
  const saved: Record<string, unknown> = {};
  for (const name of ["instantiate", "instantiateStreaming", "compile", "compileStreaming"]) {
    const original = wa[name] as ((...a: unknown[]) => unknown) | undefined;
    if (!original) continue;
    saved[name] = original;
    wa[name] = (...args: unknown[]) => {
      counts.wasm++;
      return original.apply(WA, args);
    };
  }
  const OriginalModule = WA.Module;
  wa.Module = new Proxy(OriginalModule, { construct: (t, args) => (counts.wasm++, Reflect.construct(t, args)) });
  // The real exports object (an ES namespace import would be a frozen copy); the bundle reads
  // `.Worker` from it at call time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wt = require("node:worker_threads") as { Worker: new (...a: unknown[]) => object };
  const OriginalWorker = wt.Worker;
  let workerPatched = false;
  try {
    wt.Worker = new Proxy(OriginalWorker, { construct: (t, args) => (counts.workers++, Reflect.construct(t, args)) });
    workerPatched = true;
  } catch {
    // A frozen namespace would make the check vacuous; the test below asserts it was patched.
  }
  return {
    get wasm() {
      return counts.wasm;
    },
    get workers() {
      return workerPatched ? counts.workers : Number.NaN;
    },
    restore() {
      Object.assign(wa, saved, { Module: OriginalModule });
      if (workerPatched) wt.Worker = OriginalWorker;
    },
  };
}

describe("activation", () => {
  it("is not active before a Python file or a command needs it", () => {
    // The runner opens a workspace with no editors; nothing should have woken the extension.
    assert.equal(extension().isActive, false);
  });

  it("declares lazy activation events and the commands it registers", () => {
    const pkg = extension().packageJSON as { activationEvents?: string[]; contributes?: { commands?: { command: string }[] } };
    assert.ok(!pkg.activationEvents?.includes("*"), "must not activate on startup");
    assert.ok(!pkg.activationEvents?.includes("onStartupFinished"), "must not activate on startup");
    assert.ok(pkg.activationEvents?.includes("onLanguage:python"));
    const commands = (pkg.contributes?.commands ?? []).map((c) => c.command);
    for (const id of ["asyncioTrace.traceRun", "asyncioTrace.stopTrace"]) assert.ok(commands.includes(id), `contributed commands: ${commands.join(", ")}`);
  });

  it("(the spy itself sees a worker thread and a WebAssembly compile)", async () => {
    const spy = spyOnHeavyLoads();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Worker } = require("node:worker_threads") as { Worker: new (code: string, o: object) => { terminate(): Promise<number> } };
      await new Worker("0", { eval: true }).terminate();
      const WA = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<object> } }).WebAssembly;
      await WA.compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
      assert.equal(spy.workers, 1);
      assert.equal(spy.wasm, 1);
    } finally {
      spy.restore();
    }
  });

  it("activates in under a second without compiling WebAssembly or starting a worker", async () => {
    const spy = spyOnHeavyLoads();
    try {
      const t0 = performance.now();
      await extension().activate();
      const ms = performance.now() - t0;
      assert.ok(extension().isActive);
      assert.ok(ms < 1000, `activate() took ${ms.toFixed(0)} ms`);
      assert.equal(spy.wasm, 0, "WebAssembly was compiled during activation");
      assert.equal(spy.workers, 0, "a worker thread was started during activation");
    } finally {
      spy.restore();
    }
  });

  it("registers its commands once active", async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ["asyncioTrace.traceRun", "asyncioTrace.stopTrace"]) assert.ok(all.includes(id), `${id} is not registered`);
  });

  it("opening a Python file does not start the Python runtime before a trace", async () => {
    const spy = spyOnHeavyLoads();
    try {
      await openPython(workspaceFile("examples", "gather_two_downloads.py"));
      await new Promise((r) => setTimeout(r, 1000)); // give the linter time to run
      assert.equal(spy.workers, 0, "a worker thread (the embedded engine) started without a trace");
    } finally {
      spy.restore();
      await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    }
  });
});
