import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TaskStepEvent, Trace, TraceEvent } from "../../src/core/trace/schema";
import { LocalEngine, splitTracePipe } from "../../src/engine/local";
import type { RunRequest } from "../../src/engine/types";

// Real programs, real python3 (CPython 3.11 on this machine), through the LocalEngine.
const FIXTURES = resolve(__dirname, "..", "..", "..", "test", "fixtures", "tracer");
const fixture = (name: string) => join(FIXTURES, name);
/** A real pre-3.11 CPython, where the machine has one (pyenv here). */
const OLD_PYTHONS = ["/root/.pyenv/versions/3.10.13/bin/python3", "/usr/bin/python3.10"];

interface Run {
  trace: Trace;
  stdout: string;
  stderr: string;
}

async function run(name: string, extra: Partial<RunRequest> = {}, engine = new LocalEngine()): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const trace = await engine.run({
    file: fixture(name),
    onOutput: (stream, chunk) => (stream === "stdout" ? (stdout += chunk) : (stderr += chunk)),
    ...extra,
  });
  return { trace, stdout, stderr };
}

/** What plain `python3 FILE` prints, for programs whose output does not depend on real time. */
function native(name: string): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync("python3", [fixture(name)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

const ofKind = <K extends TraceEvent["kind"]>(trace: Trace, kind: K) =>
  trace.events.filter((event): event is Extract<TraceEvent, { kind: K }> => event.kind === kind);

describe("LocalEngine (python3 + the virtual-clock tracer)", function () {
  this.timeout(30_000);

  it("traces the gather example: three named tasks, sleep(3)/sleep(2) steps, 3.0 s of virtual time", async () => {
    const { trace, stdout } = await run("gather.py");
    assert.equal(trace.status, "ok");
    assert.equal(trace.exitCode, 0);
    assert.equal(trace.engine, "local");
    assert.match(trace.pythonVersion, /^3\.\d+\.\d+$/);
    assert.equal(trace.virtualTime, 3.0);
    assert.equal(
      stdout,
      "start A\nstart B\ndone B at 2.0\ndone A at 3.0\n['A', 'B'] 3.0\n" +
        "_UnixSelectorEventLoop <_UnixSelectorEventLoop running=True closed=False debug=False>\n",
    );
    assert.deepEqual(
      trace.tasks.map((t) => [t.id, t.name, t.coro, t.parent, t.created?.line]),
      [
        [1, "Task-1", "main()", null, 19],
        [2, "Task-2", "fetch('A', 3)", 1, 14],
        [3, "Task-3", "fetch('B', 2)", 1, 14],
      ],
    );
    assert.deepEqual(trace.tasks.map((t) => t.end), [
      { kind: "result", t: 3, repr: "None" },
      { kind: "result", t: 3, repr: "'A'" },
      { kind: "result", t: 2, repr: "'B'" },
    ]);
    const firstSteps = new Map<number, TaskStepEvent>();
    for (const step of ofKind(trace, "step")) if (!firstSteps.has(step.task)) firstSteps.set(step.task, step);
    assert.deepEqual(firstSteps.get(1)?.awaiting, { kind: "gather", label: "gather(Task-2, Task-3)", tasks: [2, 3] });
    assert.deepEqual(firstSteps.get(2)?.awaiting, { kind: "sleep", label: "sleep(3)", delay: 3 });
    assert.deepEqual(firstSteps.get(3)?.awaiting, { kind: "sleep", label: "sleep(2)", delay: 2 });
    assert.equal(firstSteps.get(2)?.suspended?.line, 8);
    assert.deepEqual(ofKind(trace, "idle").map((e) => [e.t, e.to]), [[0, 2], [2, 3]]);
    assert.deepEqual(ofKind(trace, "timer-fired").map((e) => [e.t, e.task, e.label]), [[2, 3, "sleep(2)"], [3, 2, "sleep(3)"]]);
    assert.deepEqual(trace.events.map((e) => e.seq), trace.events.map((_, i) => i));
    const output = ofKind(trace, "output");
    assert.deepEqual(output[0], { ...output[0], stream: "stdout", text: "start A\n", task: 2, t: 0 });
  });

  it("jumps the clock exactly to each deadline and fires equal deadlines in scheduling order", async () => {
    const { stdout } = await run("equal_deadlines.py");
    const ticks = Array.from({ length: 8 }, (_, i) => `${i} 0.1\n`).join("");
    assert.equal(stdout, `${ticks}later 0.3\nsum 0.3\nTrue\n`);
  });

  it("time.sleep blocks the loop, moves the clock, is recorded with task and line, and keeps CPython's errors", async () => {
    const { trace, stdout } = await run("blocking.py");
    assert.equal(
      stdout,
      "blocker done at 2.0\nsleeper done at 3.0\n" +
        "ValueError sleep length must be non-negative\n" +
        "TypeError 'str' object cannot be interpreted as an integer\n" +
        "ValueError Invalid value NaN (not a number)\n",
    );
    const [blocked] = ofKind(trace, "blocked");
    assert.equal(blocked.call, "time.sleep(2)");
    assert.equal(blocked.t, 0);
    assert.equal(blocked.tEnd, 2);
    assert.equal(blocked.task, 2);
    assert.equal(blocked.location?.line, 7);
    const blockerStep = ofKind(trace, "step").find((s) => s.task === 2);
    assert.equal(blockerStep?.tEnd, 2);
    assert.equal(trace.virtualTime, 3);
  });

  it("reports a deadlock: who waits on what, exit 124", async () => {
    const { trace, stdout, stderr } = await run("deadlock.py");
    assert.equal(trace.status, "deadlock");
    assert.equal(trace.exitCode, 124);
    assert.equal(stdout, "waiting for the worker\n");
    assert.match(stderr, /^asyncio-trace: deadlock at virtual t=0/m);
    assert.match(stderr, /Task-1 \(main\(\)\) waits on Queue\.get at .*deadlock\.py:14/);
    assert.match(stderr, /Task-2 \(worker\(.*\)\) waits on Queue\.get at .*deadlock\.py:6/);
    assert.deepEqual(
      trace.deadlock?.waiters.map((w) => [w.task, w.awaiting?.label, w.location?.line]),
      [[1, "Queue.get", 14], [2, "Queue.get", 6]],
    );
    assert.deepEqual(trace.tasks.map((t) => t.end.kind), ["pending", "pending"]);
  });

  it("detects a busy sleep(0) livelock while a timer is pending: exit 125", async () => {
    const { trace, stdout, stderr } = await run("livelock.py");
    assert.equal(trace.status, "livelock");
    assert.equal(trace.exitCode, 125);
    assert.equal(stdout, "");
    assert.match(stderr, /asyncio-trace: livelock at virtual t=0: Task-1 kept polling/);
    assert.deepEqual(trace.livelock, { tasks: [1], pendingTimerAt: 1 });
  });

  it("stops an endless CPU loop at the wall-clock budget: exit 152 with a partial trace", async () => {
    const { trace, stderr } = await run("cpu_loop.py", { budgetSeconds: 1 });
    assert.equal(trace.status, "budget");
    assert.equal(trace.exitCode, 152);
    assert.equal(trace.virtualTime, 2);
    assert.match(stderr, /asyncio-trace: stopped after 1 s of wall-clock time \(the program was still running at virtual t=2, in Task-1 at line [89]\)/);
    assert.equal(trace.tasks[0].end.kind, "pending");
    assert.ok(ofKind(trace, "step").length >= 1);
  });

  it("stops a program that swallows KeyboardInterrupt at its next line, keeping its trace", async () => {
    const { trace, stdout, stderr } = await run(join("..", "embedded", "ignores_interrupt.py"), { budgetSeconds: 1 });
    assert.equal(stdout, "ignoring interrupts\n");
    assert.equal(trace.status, "budget");
    assert.equal(trace.exitCode, 152);
    assert.match(stderr, /^asyncio-trace: stopped after 1 s of wall-clock time \(the program was still running at virtual t=0, at line [56]\)\n$/);
  });

  it("stops when the run is aborted: status stopped, exit 130", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 2500);
    const { trace, stderr } = await run("cpu_loop.py", { signal: controller.signal, budgetSeconds: 20 });
    assert.equal(trace.status, "stopped");
    assert.equal(trace.exitCode, 130);
    assert.match(stderr, /asyncio-trace: stopped at virtual t=2/);
  });

  it("keeps the large trace of a stopped program, however long writing it takes past the kill grace", async () => {
    // The program honours the stop well within 250 ms; writing its 80,000-odd events takes longer.
    const controller = new AbortController();
    let stdout = "";
    let stderr = "";
    const trace = await new LocalEngine({ killGraceSeconds: 0.25 }).run({
      file: fixture("many_tasks_then_spin.py"),
      args: ["10000"],
      signal: controller.signal,
      onOutput: (stream, chunk) => {
        if (stream === "stdout") stdout += chunk;
        else stderr += chunk;
        if (stdout.endsWith("spinning\n")) controller.abort();
      },
    });
    assert.equal(stdout, "10000 tasks done; spinning\n");
    assert.match(stderr, /^asyncio-trace: stopped at virtual t=5, in Task-1 at line 1[456]\n$/);
    assert.equal(trace.status, "stopped");
    assert.equal(trace.exitCode, 130);
    assert.equal(trace.tasks.filter((task) => task.end.kind === "result").length, 10_000);
    assert.ok(trace.events.length > 80_000, `${trace.events.length} events`);
  });

  it("caps 10 MB of output with one marker line and keeps the program running", async () => {
    const cap = 64 * 1024;
    const { trace, stdout, stderr } = await run("huge_output.py", { outputCapBytes: cap });
    assert.equal(trace.exitCode, 0);
    assert.equal(trace.outputTruncated, true);
    assert.equal(stdout, "x".repeat(cap));
    assert.equal(stderr, `\n[asyncio-trace] output truncated after ${cap} bytes\n`);
  });

  it("reports a SyntaxError exactly as python3 does", async () => {
    const { trace, stdout, stderr } = await run("await_outside.py");
    const expected = native("await_outside.py");
    assert.equal(trace.exitCode, 1);
    assert.equal(expected.status, 1);
    assert.equal(stdout, "");
    assert.equal(stderr, expected.stderr);
    assert.equal(trace.uncaught?.line, "SyntaxError: 'await' outside function");
    assert.equal(trace.uncaught?.location?.line, 8);
  });

  it("prints never-awaited warnings where python3 does, including sys:1 at exit, and records where they were created", async () => {
    const { trace, stdout, stderr } = await run("unawaited.py");
    const expected = native("unawaited.py");
    assert.equal(stdout, expected.stdout);
    assert.equal(stderr, expected.stderr);
    assert.match(stderr, /^sys:1: RuntimeWarning: coroutine 'sleep' was never awaited$/m);
    const warnings = ofKind(trace, "warning");
    assert.deepEqual(
      warnings.map((w) => [w.message, w.location?.file === "sys" ? "sys" : w.location?.line, w.createdAt?.line, w.createdBy]),
      [
        ["coroutine 'sleep' was never awaited", 6, 6, 1],
        ["coroutine 'sleep' was never awaited", "sys", 10, null],
      ],
    );
  });

  it("prints an uncaught task exception with python3's exact traceback and no engine frames", async () => {
    const { trace, stderr } = await run("failing.py");
    const expected = native("failing.py");
    assert.equal(trace.exitCode, 1);
    assert.equal(stderr, expected.stderr);
    assert.doesNotMatch(stderr, /asyncio_trace|run_traced/);
    assert.deepEqual(trace.uncaught, {
      type: "ValueError",
      message: "child 0.01 failed",
      line: "ValueError: child 0.01 failed",
      location: { file: fixture("failing.py"), line: 7 },
    });
    assert.deepEqual(trace.tasks.map((t) => [t.name, t.end.kind]), [
      ["Task-1", "exception"],
      ["Task-2", "exception"],
      ["Task-3", "cancelled"],
    ]);
    // Task-3 was still sleeping when asyncio.run's shutdown cancelled it.
    assert.deepEqual(trace.tasks[2].end, { kind: "cancelled", t: 0.01, location: { file: fixture("failing.py"), line: 6 }, atShutdown: true });
  });

  describe("topLevelAwait (a notebook cell, as Jupyter runs it)", () => {
    const NOTEBOOKS = resolve(__dirname, "..", "..", "..", "test", "fixtures", "notebooks");
    const cell = (name: string) => join(NOTEBOOKS, name);
    const runCell = async (name: string, extra: Partial<RunRequest> = {}): Promise<Run> => {
      let stdout = "";
      let stderr = "";
      const trace = await new LocalEngine().run({
        file: cell(name),
        topLevelAwait: true,
        onOutput: (stream, chunk) => (stream === "stdout" ? (stdout += chunk) : (stderr += chunk)),
        ...extra,
      });
      return { trace, stdout, stderr };
    };

    it("runs `await main()` at top level on the virtual clock: the cell is Task-1, its tasks and output traced", async () => {
      const { trace, stdout, stderr } = await runCell("top_level_await_cell.py");
      assert.equal(stderr, "");
      assert.equal(trace.status, "ok");
      assert.equal(trace.exitCode, 0);
      assert.equal(trace.uncaught, null);
      assert.equal(trace.virtualTime, 3.0);
      assert.equal(stdout, "start A\nstart B\ndone B\ndone A\n['A', 'B']\n");
      assert.deepEqual(
        trace.tasks.map((t) => [t.id, t.name, t.coro, t.parent, t.end.kind]),
        [
          [1, "Task-1", "<module>()", null, "result"],
          [2, "Task-2", "fetch('A', 3)", 1, "result"],
          [3, "Task-3", "fetch('B', 2)", 1, "result"],
        ],
      );
    });

    it("without topLevelAwait the same file is a script: python3's SyntaxError", async () => {
      const { trace, stderr } = await runCell("top_level_await_cell.py", { topLevelAwait: false });
      const expected = spawnSync("python3", [cell("top_level_await_cell.py")], { encoding: "utf8" });
      assert.equal(trace.exitCode, 1);
      assert.equal(stderr, expected.stderr);
      assert.equal(trace.uncaught?.type, "SyntaxError");
      assert.equal(trace.uncaught?.message, "'await' outside function");
    });

    it("an exception from the awaited coroutine: the cell's traceback as IPython shows it, no engine frames", async () => {
      const { trace, stderr } = await runCell("top_level_await_error_cell.py");
      // IPython-like semantics in plain python3: compile with top-level await, run the coroutine,
      // and print the traceback from the cell's frame down (IPython hides its own frames above).
      const ipythonLike = [
        "import ast, asyncio, sys, traceback",
        "path = sys.argv[1]",
        "code = compile(open(path).read(), path, 'exec', flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)",
        "try:",
        "    asyncio.run(eval(code, {'__name__': '__main__', '__file__': path}))",
        "except BaseException as exc:",
        "    tb = exc.__traceback__",
        "    while tb is not None and tb.tb_frame.f_code is not code: tb = tb.tb_next",
        "    traceback.print_exception(type(exc), exc, tb)",
        "    sys.exit(1)",
      ].join("\n");
      const expected = spawnSync("python3", ["-c", ipythonLike, cell("top_level_await_error_cell.py")], { encoding: "utf8" });
      assert.equal(expected.status, 1, expected.stderr);
      assert.equal(trace.exitCode, 1);
      assert.equal(stderr, expected.stderr);
      assert.match(stderr, /line 10, in <module>\n {4}await main\(\)\n/);
      assert.match(stderr, /line 5, in check\n/);
      assert.doesNotMatch(stderr, /asyncio_trace|run_traced|runners\.py|base_events\.py/);
      assert.deepEqual(trace.uncaught, {
        type: "ValueError",
        message: "bad after 1",
        line: "ValueError: bad after 1",
        location: { file: cell("top_level_await_error_cell.py"), line: 5 },
      });
      assert.equal(trace.virtualTime, 1.0);
      assert.deepEqual(trace.tasks.map((t) => [t.name, t.end.kind]), [
        ["Task-1", "exception"],
        ["Task-2", "exception"],
        ["Task-3", "cancelled"],
      ]);
    });

    it("asyncio.run() inside the cell fails as in Jupyter: the loop is already running", async () => {
      const { trace } = await runCell("asyncio_run_in_cell.py");
      assert.equal(trace.exitCode, 1);
      assert.equal(trace.uncaught?.type, "RuntimeError");
      assert.equal(trace.uncaught?.message, "asyncio.run() cannot be called from a running event loop");
      assert.equal(trace.virtualTime, 0.5);
    });

    it("a cell without top-level await runs exactly as before (asyncio.run(main()) in the cell)", async () => {
      const withFlag = await runCell("asyncio_run_cell.py");
      const without = await runCell("asyncio_run_cell.py", { topLevelAwait: false });
      assert.equal(withFlag.trace.exitCode, 0);
      assert.equal(withFlag.stdout, "waited 1\n");
      assert.equal(withFlag.stdout, without.stdout);
      assert.deepEqual(withFlag.trace.tasks.map((t) => [t.name, t.coro]), [["Task-1", "wait(1)"]]);
      assert.deepEqual(withFlag.trace.tasks, without.trace.tasks);
    });
  });

  it("serves aiohttp, httpx and requests from the simulated network", async () => {
    const { trace, stdout } = await run("network.py", { simulatedLatency: 0.25 });
    assert.equal(
      stdout,
      "https://example.com: True True\nhttps://www.python.org: True True\nhttps://httpbin.org/get: True True\n" +
        "httpx 200 https://httpbin.org/json\nasync part took 0.50 s\nrequests 404 False\nhttpx.get 200\ntotal 1.00 s\n",
    );
    assert.equal(trace.networkSimulated, true);
    const network = ofKind(trace, "network");
    assert.deepEqual(
      network.map((n) => [n.library, n.method, n.url, n.status, n.blocking]),
      [
        ["aiohttp", "GET", "https://example.com", 200, false],
        ["aiohttp", "GET", "https://www.python.org", 200, false],
        ["aiohttp", "GET", "https://httpbin.org/get", 200, false],
        ["httpx", "GET", "https://httpbin.org/json", 200, false],
        ["requests", "GET", "https://httpbin.org/status/404", 404, true],
        ["httpx", "GET", "https://example.org", 200, true],
      ],
    );
    const fetchStep = ofKind(trace, "step").find((s) => s.task === 2);
    assert.deepEqual(fetchStep?.awaiting, { kind: "network", label: "GET https://example.com" });
    assert.deepEqual(ofKind(trace, "blocked").map((b) => b.call), [
      "requests.get('https://httpbin.org/status/404')",
      "httpx.get('https://example.org')",
    ]);
  });

  it("feeds stdin to input() and passes sys.exit's message and status through", async () => {
    const { trace, stdout, stderr } = await run("stdin_echo.py", { stdin: "Ada\n" });
    assert.equal(stdout, "name? hello Ada\n");
    assert.equal(stderr, "bye Ada\n");
    assert.equal(trace.exitCode, 1);
    assert.equal(trace.status, "ok");
  });

  it("caches the tracer's compiled modules even under PYTHONDONTWRITEBYTECODE, and still writes none of the program's", async () => {
    const work = mkdtempSync(join(tmpdir(), "asyncio-trace-pyc-"));
    const saved = process.env.PYTHONDONTWRITEBYTECODE;
    try {
      const distDir = join(work, "dist");
      cpSync(resolve(__dirname, "..", "..", "..", "dist", "python"), join(distDir, "python"), { recursive: true });
      rmSync(join(distDir, "python", "asyncio_trace", "__pycache__"), { recursive: true, force: true });
      const programDir = join(work, "program");
      mkdirSync(programDir);
      writeFileSync(join(programDir, "helper.py"), "async def answer():\n    return 42\n");
      writeFileSync(join(programDir, "main.py"), "import asyncio\nimport helper\nprint(asyncio.run(helper.answer()))\n");
      process.env.PYTHONDONTWRITEBYTECODE = "1";
      let stdout = "";
      const trace = await new LocalEngine({ distDir }).run({ file: join(programDir, "main.py"), onOutput: (_stream, chunk) => (stdout += chunk) });
      assert.equal(trace.exitCode, 0);
      assert.equal(stdout, "42\n");
      const cached = readdirSync(join(distDir, "python", "asyncio_trace", "__pycache__"));
      assert.ok(cached.some((name) => name.startsWith("runner.") && name.endsWith(".pyc")), `tracer cache: ${cached.join(", ")}`);
      assert.deepEqual(readdirSync(programDir).sort(), ["helper.py", "main.py"], "the program's folder gets no __pycache__");
    } finally {
      if (saved === undefined) delete process.env.PYTHONDONTWRITEBYTECODE;
      else process.env.PYTHONDONTWRITEBYTECODE = saved;
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("explains a missing interpreter as an engine error", async () => {
    const { trace } = await run("gather.py", {}, new LocalEngine({ python: "/nonexistent/python3" }));
    assert.equal(trace.status, "engine-error");
    assert.equal(trace.exitCode, 70);
    assert.equal(trace.engineError, "/nonexistent/python3 not found: install Python 3.11+ or set asyncioTrace.pythonPath / --python");
  });

  it("says which version it found when the interpreter is too old", async function () {
    const old = OLD_PYTHONS.find((path) => existsSync(path));
    if (!old) this.skip();
    const { trace } = await run("gather.py", {}, new LocalEngine({ python: old }));
    assert.equal(trace.status, "engine-error");
    assert.match(trace.engineError ?? "", /is Python 3\.10\.\d+, but asyncio-trace needs Python 3\.11 or newer: install a newer Python/);
  });
});

describe("the local engine's trace pipe (file descriptor 3)", () => {
  it("reads the phase lines ahead of the trace, and only whole ones", () => {
    assert.deepEqual(splitTracePipe(""), { phases: [], trace: "" });
    assert.deepEqual(splitTracePipe("program-sta"), { phases: [], trace: "program-sta" });
    assert.deepEqual(splitTracePipe("program-started\n"), { phases: ["program-started"], trace: "" });
    assert.deepEqual(splitTracePipe('program-started\nprogram-ended\n{"wire": 2}'), { phases: ["program-started", "program-ended"], trace: '{"wire": 2}' });
    // A program that ends before it starts (a SyntaxError) only says it ended.
    assert.deepEqual(splitTracePipe("program-ended\n{}"), { phases: ["program-ended"], trace: "{}" });
    // A trace is never read as a phase, even one that holds the words.
    assert.deepEqual(splitTracePipe('{"text": "program-ended\\n"}\nprogram-ended\n'), { phases: [], trace: '{"text": "program-ended\\n"}\nprogram-ended\n' });
  });
});
