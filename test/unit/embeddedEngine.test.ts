// The embedded engine with real Pyodide (dist/, built by `node esbuild.mjs`) on real programs in
// test/fixtures/embedded/. One engine serves the suite: each run restores a fresh interpreter from
// the snapshot, so runs are cheap but never share state.
import * as assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Worker } from "node:worker_threads";
import { EmbeddedEngine } from "../../src/engine/embedded";
import type { RunRequest } from "../../src/engine/types";
import { EXIT_BUDGET, EXIT_ENGINE_ERROR, EXIT_STOPPED, type Trace } from "../../src/core/trace/schema";

const repo = resolve(__dirname, "..", "..", "..");
const distDir = join(repo, "dist");
const fixtures = join(repo, "test", "fixtures", "embedded");
const fixture = (name: string): string => join(fixtures, name);
/** Shared with the local engine's tests: a large trace, then a CPU loop. */
const MANY_TASKS_THEN_SPIN = join(repo, "test", "fixtures", "tracer", "many_tasks_then_spin.py");

interface Captured {
  trace: Trace;
  stdout: string;
  stderr: string;
}

async function runCaptured(engine: EmbeddedEngine, request: RunRequest): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const trace = await engine.run({
    ...request,
    onOutput: (stream, chunk) => {
      if (stream === "stdout") stdout += chunk;
      else stderr += chunk;
      request.onOutput?.(stream, chunk);
    },
  });
  return { trace, stdout, stderr };
}

describe("EmbeddedEngine (real Pyodide)", function () {
  this.timeout(120_000);
  const workers: Worker[] = [];
  let engine: EmbeddedEngine;
  let scratch: string;

  before(async () => {
    assert.ok(existsSync(join(distDir, "embeddedWorker.js")), "run `node esbuild.mjs` first: the engine loads dist/");
    engine = new EmbeddedEngine({ distDir, cacheDir: join(tmpdir(), "asyncio-trace-test-cache"), onWorker: (w) => workers.push(w) });
    scratch = mkdtempSync(join(tmpdir(), "asyncio-trace-embedded-"));
    await engine.warm();
  });

  after(() => {
    engine.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("traces a gather program on the virtual clock: the right tasks, total time 3.0", async () => {
    const { trace, stdout, stderr } = await runCaptured(engine, { file: fixture("gather_fetch.py") });
    assert.equal(stderr, "");
    assert.equal(trace.status, "ok");
    assert.equal(trace.exitCode, 0);
    assert.equal(trace.engine, "embedded");
    assert.equal(trace.pythonVersion, "3.14.2");
    assert.equal(trace.file, fixture("gather_fetch.py"));
    assert.equal(trace.virtualTime, 3.0);
    assert.ok(trace.wallMs > 0);
    assert.deepEqual(
      trace.tasks.map((t) => t.name),
      ["Task-1", "Task-2", "Task-3", "Task-4"],
    );
    assert.match(trace.tasks[1].coro, /^download\('a', 1\)/);
    assert.deepEqual(trace.tasks.slice(1).map((t) => t.parent), [1, 1, 1]);
    assert.equal(stdout, "a starts\nb starts\nc starts\na done after 1 s\nc done after 2 s\nb done after 3 s\n['A', 'B', 'C'] 3.0\n");
  });

  it("topLevelAwait: a notebook cell's `await main()` runs on the virtual loop as Task-1; an exception's traceback starts at the cell", async () => {
    const notebooks = join(repo, "test", "fixtures", "notebooks");
    const cellFile = join(notebooks, "top_level_await_cell.py");
    const { trace, stdout, stderr } = await runCaptured(engine, { file: cellFile, topLevelAwait: true });
    assert.equal(stderr, "");
    assert.equal(trace.status, "ok");
    assert.equal(trace.exitCode, 0);
    assert.equal(trace.virtualTime, 3.0);
    assert.equal(stdout, "start A\nstart B\ndone B\ndone A\n['A', 'B']\n");
    assert.deepEqual(
      trace.tasks.map((t) => [t.name, t.coro, t.parent]),
      [
        ["Task-1", "<module>()", null],
        ["Task-2", "fetch('A', 3)", 1],
        ["Task-3", "fetch('B', 2)", 1],
      ],
    );

    const errorFile = join(notebooks, "top_level_await_error_cell.py");
    const failed = await runCaptured(engine, { file: errorFile, topLevelAwait: true });
    assert.equal(failed.trace.exitCode, 1);
    // What IPython prints for the cell (its own frames above the cell hidden), in CPython 3.14's words.
    assert.equal(
      failed.stderr,
      [
        "Traceback (most recent call last):",
        `  File "${errorFile}", line 10, in <module>`,
        "    await main()",
        `  File "${errorFile}", line 8, in main`,
        "    await asyncio.gather(check(1), asyncio.sleep(2))",
        `  File "${errorFile}", line 5, in check`,
        '    raise ValueError(f"bad after {seconds}")',
        "ValueError: bad after 1",
        "",
      ].join("\n"),
    );
    assert.doesNotMatch(failed.stderr, /asyncio_trace|runners\.py|base_events\.py/);
    assert.equal(failed.trace.uncaught?.location?.line, 5);
    assert.equal(failed.trace.virtualTime, 1.0);
  });

  it("gives every run a fresh interpreter: globals, modules, warning registry and task numbering restart", async () => {
    const first = await runCaptured(engine, { file: fixture("fresh_state.py") });
    const second = await runCaptured(engine, { file: fixture("fresh_state.py") });
    for (const run of [first, second]) {
      assert.equal(run.trace.exitCode, 0, run.stderr);
      assert.equal(
        run.stdout,
        "global left by an earlier run: None\nmodule left by an earlier run: False\ntask names: Task-1 ['Task-2', 'Task-3']\n",
      );
      assert.match(run.stderr, /fresh_state\.py:11: UserWarning: this warning shows once per interpreter/);
    }
  });

  it("sandboxes the program: siblings import, writes stay in memory, no JS bridge, host files, sockets or processes", async () => {
    const probe = join(scratch, "created-by-subprocess");
    const written = fixture("sandbox/written_by_program.txt");
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
    const port = (server.address() as { port: number }).port;
    try {
      const run = async (): Promise<Captured> =>
        runCaptured(engine, { file: fixture("sandbox/main.py"), args: [homedir(), String(port), probe] });
      const { trace, stdout, stderr } = await run();
      assert.equal(trace.exitCode, 0, stderr);
      assert.equal(
        stdout,
        [
          "sibling: hello from a sibling module",
          "package: OK",
          "counter: 1",
          `file: ${fixture("sandbox/main.py")}`,
          "read back: kept in memory",
          "blocked: import js -> ModuleNotFoundError",
          "blocked: import pyodide_js -> ModuleNotFoundError",
          "blocked: from pyodide.ffi import to_js -> ModuleNotFoundError",
          "blocked: import pyodide.code -> ModuleNotFoundError",
          "blocked: import pyodide.http -> ModuleNotFoundError",
          "blocked: import _pyodide -> ModuleNotFoundError",
          "blocked: import _pyodide_core -> ModuleNotFoundError",
          "blocked: import ctypes -> ModuleNotFoundError",
          "host files: not found -> FileNotFoundError",
          "host files: not found -> FileNotFoundError",
          "socket: failed -> OSError",
          "subprocess: failed -> OSError",
          "",
        ].join("\n"),
      );
      assert.equal(existsSync(written), false, "the program's write must not reach the host");
      assert.equal(existsSync(probe), false, "no process may run on the host");
      assert.equal(connections, 0, "no connection may reach the host network");
      // The sibling module's counter starts from its file again: nothing of the first run survives.
      assert.match((await run()).stdout, /^counter: 1$/m);
    } finally {
      server.close();
    }
  });

  it("streams output while the program runs and stops a CPU loop at the wall-clock budget", async () => {
    const started = Date.now();
    let firstChunkAt = 0;
    const { trace, stdout, stderr } = await runCaptured(engine, {
      file: fixture("spin.py"),
      budgetSeconds: 1,
      onOutput: () => (firstChunkAt ||= Date.now()),
    });
    assert.equal(stdout, "spinning\n");
    assert.ok(firstChunkAt > 0 && firstChunkAt - started < Date.now() - started - 500, "output arrived before the run ended");
    assert.equal(trace.status, "budget");
    assert.equal(trace.exitCode, EXIT_BUDGET);
    assert.match(stderr, /asyncio-trace: stopped after 1 s of wall-clock time/);
    assert.deepEqual(trace.tasks.map((t) => t.name), ["Task-1"], "the partial trace keeps the running task");
  });

  it("keeps a stop that comes before the program starts, and ends the program as it starts", async () => {
    // A 1 ms budget runs out while the engine is still setting up the run, before the program's first line.
    const { trace, stderr } = await runCaptured(engine, { file: fixture("spin.py"), budgetSeconds: 0.001 });
    assert.equal(trace.status, "budget");
    assert.equal(trace.exitCode, EXIT_BUDGET);
    assert.match(stderr, /^asyncio-trace: stopped after 0\.001 s of wall-clock time/);
    assert.doesNotMatch(stderr, /terminated/, "the stop was lost, and the worker had to be killed");
  });

  it("keeps the large trace of a stopped program, however long writing it takes past the stop grace", async () => {
    // The program honours the stop well within 250 ms; writing its 80,000-odd events takes longer.
    const strict = new EmbeddedEngine({ distDir, cacheDir: join(tmpdir(), "asyncio-trace-test-cache"), stopGraceMs: 250, keepSpare: false });
    try {
      const controller = new AbortController();
      const { trace, stdout, stderr } = await runCaptured(strict, {
        file: MANY_TASKS_THEN_SPIN,
        args: ["10000"],
        signal: controller.signal,
        onOutput: (_stream, chunk) => chunk.includes("spinning") && controller.abort(),
      });
      assert.equal(stdout, "10000 tasks done; spinning\n");
      assert.match(stderr, /^asyncio-trace: stopped at virtual t=5, in Task-1 at line 1[456]\n$/);
      assert.equal(trace.status, "stopped");
      assert.equal(trace.exitCode, EXIT_STOPPED);
      assert.equal(trace.tasks.filter((task) => task.end.kind === "result").length, 10_000);
      assert.ok(trace.events.length > 80_000, `${trace.events.length} events`);
    } finally {
      strict.dispose();
    }
  });

  it("stops on AbortSignal with status stopped", async () => {
    const controller = new AbortController();
    const { trace, stdout } = await runCaptured(engine, {
      file: fixture("spin.py"),
      signal: controller.signal,
      onOutput: () => setTimeout(() => controller.abort(), 100),
    });
    assert.equal(stdout, "spinning\n");
    assert.equal(trace.status, "stopped");
    assert.equal(trace.exitCode, EXIT_STOPPED);
  });

  it("gives up waiting for an interpreter after its load wait, clearly, and the late interpreter serves the next run", async () => {
    // A cold engine with a 1 ms load wait: no interpreter can be ready in time, as on a machine too busy to load one.
    const impatient = new EmbeddedEngine({ distDir, cacheDir: join(tmpdir(), "asyncio-trace-test-cache"), loadWaitMs: 1 });
    try {
      const started = Date.now();
      const { trace, stderr } = await runCaptured(impatient, { file: fixture("gather_fetch.py") });
      const ms = Date.now() - started;
      assert.equal(impatient.lastLoad, undefined, "the run waited for its interpreter to load");
      assert.ok(ms < 3000, `gave up after ${ms} ms, not at once`);
      assert.equal(trace.status, "engine-error");
      assert.equal(trace.exitCode, EXIT_ENGINE_ERROR);
      assert.match(trace.engineError ?? "", /did not start within 0\.0 s .*Try again, or raise the time budget/);
      assert.match(stderr, /^asyncio-trace: The embedded Python runtime did not start/);
      await impatient.warm();
      assert.equal(impatient.liveInterpreterCount, 1, "the late interpreter is kept as the spare, not duplicated");
      const next = await runCaptured(impatient, { file: fixture("gather_fetch.py") });
      assert.equal(next.trace.status, "ok", next.stderr);
      assert.equal(next.trace.virtualTime, 3.0);
    } finally {
      impatient.dispose();
    }
  });

  it("stops at once when aborted while its interpreter is still loading", async () => {
    const cold = new EmbeddedEngine({ distDir, cacheDir: join(tmpdir(), "asyncio-trace-test-cache"), keepSpare: false });
    try {
      const controller = new AbortController();
      let abortedAt = 0;
      setTimeout(() => {
        abortedAt = Date.now();
        controller.abort();
      }, 20);
      const { trace } = await runCaptured(cold, { file: fixture("gather_fetch.py"), signal: controller.signal });
      const ms = Date.now() - abortedAt;
      assert.equal(trace.status, "stopped");
      assert.equal(trace.exitCode, EXIT_STOPPED);
      // It did not wait for the interpreter (a run records how its interpreter loaded once it has one).
      assert.equal(cold.lastLoad, undefined, "the stopped run waited for its interpreter to load");
      assert.ok(abortedAt > 0 && ms < 2000, `stopped ${ms} ms after the abort`);
    } finally {
      cold.dispose();
    }
  });

  it("stops a program that swallows KeyboardInterrupt at its next line, keeping its trace", async () => {
    // The stop is signalled again while the program runs on, and each signal raises it at the next line.
    const { trace, stdout, stderr } = await runCaptured(engine, { file: fixture("ignores_interrupt.py"), budgetSeconds: 1 });
    assert.equal(stdout, "ignoring interrupts\n");
    assert.equal(trace.status, "budget");
    assert.equal(trace.exitCode, EXIT_BUDGET);
    assert.match(stderr, /^asyncio-trace: stopped after 1 s of wall-clock time \(the program was still running at virtual t=0, at line [56]\)\n$/);
  });

  it("kills a program stuck where Python never sees the stop (a loop in C), reports it clearly, and the next run works", async () => {
    const { trace, stderr } = await runCaptured(engine, { file: fixture("stuck_in_c.py"), budgetSeconds: 1 });
    assert.equal(trace.status, "budget");
    assert.equal(trace.exitCode, EXIT_BUDGET);
    assert.match(stderr, /did not stop when interrupted; it was terminated/);
    const next = await runCaptured(engine, { file: fixture("gather_fetch.py") });
    assert.equal(next.trace.virtualTime, 3.0);
  });

  it("ends deep recursion and huge allocations with CPython's errors, then runs normally", async () => {
    const deep = await runCaptured(engine, { file: fixture("deep_recursion.py") });
    assert.equal(deep.trace.exitCode, 1);
    assert.match(deep.stderr, /\nRecursionError: maximum recursion depth exceeded\n$/);
    const memory = await runCaptured(engine, { file: fixture("memory_error.py") });
    assert.equal(memory.trace.exitCode, 1);
    assert.match(memory.stderr, /\nMemoryError\n$/);
    const next = await runCaptured(engine, { file: fixture("gather_fetch.py") });
    assert.equal(next.trace.exitCode, 0);
  });

  it("reports a worker crash mid-run as an engine error, and the next run works", async () => {
    // Runs take the newest interpreter (the spare) and start the next one only when they end.
    const crashing = runCaptured(engine, { file: fixture("spin.py"), onOutput: () => void workers[workers.length - 1].terminate() });
    const { trace, stderr } = await crashing;
    assert.equal(trace.status, "engine-error");
    assert.equal(trace.exitCode, EXIT_ENGINE_ERROR);
    assert.match(trace.engineError ?? "", /stopped unexpectedly during the run/);
    assert.match(stderr, /^asyncio-trace: /);
    const next = await runCaptured(engine, { file: fixture("gather_fetch.py") });
    assert.equal(next.trace.exitCode, 0);
  });

  it("runs two programs at once, each in its own interpreter", async () => {
    const [a, b] = await Promise.all([
      runCaptured(engine, { file: fixture("gather_fetch.py") }),
      runCaptured(engine, { file: fixture("fresh_state.py") }),
    ]);
    assert.equal(a.trace.virtualTime, 3.0);
    assert.equal(a.trace.tasks.length, 4);
    assert.match(b.stdout, /global left by an earlier run: None/);
  });

  it("serves stdin: given text, or an empty stdin that raises EOFError", async () => {
    const given = await runCaptured(engine, { file: fixture("reads_stdin.py"), stdin: "one\ntwo\n" });
    assert.equal(given.stdout, "got one\ngot two\nEOF\n");
    const empty = await runCaptured(engine, { file: fixture("reads_stdin.py") });
    assert.equal(empty.stdout, "EOF\n");
  });

  it("reports bad program files like python3 does", async () => {
    const missing = join(scratch, "missing.py");
    const gone = await runCaptured(engine, { file: missing });
    assert.equal(gone.trace.exitCode, 2);
    assert.equal(gone.stderr, `python3: can't open file '${missing}': [Errno 2] No such file or directory\n`);

    const folder = await runCaptured(engine, { file: scratch });
    assert.equal(folder.trace.exitCode, 1);
    assert.equal(folder.stderr, `python3: can't find '__main__' module in '${scratch}'\n`);

    const binary = join(scratch, "binary.py");
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x0a]));
    const nulls = await runCaptured(engine, { file: binary });
    assert.equal(nulls.trace.exitCode, 1);
    assert.match(nulls.stderr, /SyntaxError: source code cannot contain null bytes\n$/);

    const latin1 = join(scratch, "latin1.py");
    writeFileSync(latin1, Buffer.from("print('caf\xe9')\n", "latin1"));
    const encoding = await runCaptured(engine, { file: latin1 });
    assert.equal(encoding.trace.exitCode, 1);
    // `python3 FILE` says "... in file F on line 1"; compile() in 3.14 drops "in file F" (the tracer decides which it prints).
    assert.match(encoding.stderr, /SyntaxError: Non-UTF-8 code starting with '\\xe9' (in file .*latin1\.py )?on line 1, but no encoding declared/);

    const emptyFile = join(scratch, "empty.py");
    writeFileSync(emptyFile, "");
    const empty = await runCaptured(engine, { file: emptyFile });
    assert.equal(empty.trace.exitCode, 0);
    assert.equal(empty.stdout + empty.stderr, "");
  });

  it("falls back to a plain load without a matching snapshot, then builds one into the cache and restores from it", async () => {
    // A dist folder like the real one minus the snapshot, as after a Python change without a rebuild.
    const bare = join(scratch, "dist-without-snapshot");
    const cache = join(scratch, "cache");
    mkdirSync(join(bare, "pyodide"), { recursive: true });
    symlinkSync(join(distDir, "embeddedWorker.js"), join(bare, "embeddedWorker.js"));
    symlinkSync(join(distDir, "python"), join(bare, "python"));
    for (const name of readdirSync(join(distDir, "pyodide")).filter((n) => !n.startsWith("snapshot"))) {
      symlinkSync(join(distDir, "pyodide", name), join(bare, "pyodide", name));
    }
    const fallback = new EmbeddedEngine({ distDir: bare, cacheDir: cache, keepSpare: false });
    try {
      const first = await runCaptured(fallback, { file: fixture("gather_fetch.py") });
      assert.equal(first.trace.virtualTime, 3.0);
      assert.equal(fallback.lastLoad?.fromSnapshot, false);
      const built = (): boolean => existsSync(cache) && readdirSync(cache).some((name) => name.endsWith(".bin"));
      for (let waited = 0; !built(); waited += 250) {
        assert.ok(waited < 90_000, "the snapshot was not built into the cache");
        await new Promise((r) => setTimeout(r, 250));
      }
      const second = await runCaptured(fallback, { file: fixture("gather_fetch.py") });
      assert.equal(second.trace.virtualTime, 3.0);
      assert.equal(fallback.lastLoad?.fromSnapshot, true);
    } finally {
      fallback.dispose();
    }
  });

  it("runs 20 programs in a row without leaking workers or host memory", async () => {
    const program = join(scratch, "tiny.py");
    writeFileSync(program, "import asyncio\nasyncio.run(asyncio.sleep(1))\nprint('ok')\n");
    await runCaptured(engine, { file: program });
    await engine.warm();
    const heapBefore = process.memoryUsage().rss;
    for (let i = 0; i < 20; i += 1) {
      const { trace, stdout } = await runCaptured(engine, { file: program });
      assert.equal(stdout, "ok\n");
      assert.equal(trace.virtualTime, 1.0);
    }
    await engine.warm();
    assert.ok(engine.liveInterpreterCount <= 1, `live interpreters: ${engine.liveInterpreterCount}`);
    const growth = process.memoryUsage().rss / heapBefore;
    assert.ok(growth < 1.2, `host memory grew ${(growth * 100 - 100).toFixed(0)}%`);
  });
});
