import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { OutputEvent, TaskStepEvent, Trace } from "../../src/core/trace/schema";
import { EmbeddedEngine } from "../../src/engine/embedded";
import { LocalEngine } from "../../src/engine/local";
import type { Engine } from "../../src/engine/types";

// How steps are recorded when tasks run their own coroutines (StepHandle in virtual_loop.py):
// under the user's CPython 3.11 and under CPython 3.14 in WebAssembly, where a task factory can
// start a task eagerly inside create_task.
const FIXTURES = resolve(__dirname, "..", "..", "..", "test", "fixtures", "tracer");
const DIST = resolve(__dirname, "..", "..", "..", "dist");
const ENGINES: [string, () => Engine | undefined][] = [
  ["local", () => new LocalEngine()],
  [
    "embedded",
    () => (existsSync(join(DIST, "embeddedWorker.js")) ? new EmbeddedEngine({ distDir: DIST, cacheDir: join(tmpdir(), "asyncio-trace-test-cache") }) : undefined),
  ],
];

function taskId(trace: Trace, name: string): number {
  const task = trace.tasks.find((t) => t.name === name);
  assert.ok(task, `no task named ${name}`);
  return task.id;
}

for (const [engineName, makeEngine] of ENGINES) {
  describe(`tracer: steps (${engineName} engine)`, function () {
    this.timeout(120_000);
    let engine: Engine | undefined;
    let trace: Trace;
    before(async function () {
      engine = makeEngine();
      if (!engine) this.skip();
      trace = await engine.run({ file: join(FIXTURES, "steps.py") });
    });
    after(() => engine?.dispose());

    it("records every step of a task, first to last, with the output printed in each", () => {
      assert.equal(trace.exitCode, 0);
      const eager = trace.pythonVersion >= "3.12";
      const child = taskId(trace, "child");
      const steps = trace.events.filter((e): e is TaskStepEvent => e.kind === "step" && e.task === child);
      assert.deepEqual(
        steps.map((s) => [s.t, s.tEnd, s.awaiting?.label ?? null, s.suspended?.line ?? null]),
        [
          [0, 0, "sleep(1)", 8],
          [1, 1, null, null],
        ],
      );
      const printedBy = (text: string) => trace.events.find((e): e is OutputEvent => e.kind === "output" && e.text.includes(text))?.task;
      assert.equal(printedBy("child 1 starts"), child);
      assert.equal(printedBy("child 1 done"), child);
      assert.equal(printedBy("created, eager"), taskId(trace, "Task-1"));
      const stdout = trace.events.filter((e): e is OutputEvent => e.kind === "output" && e.stream === "stdout").map((e) => e.text).join("");
      // Eagerly, the child's first step runs inside create_task, before main prints "created".
      assert.ok(
        stdout.startsWith(eager ? "child 1 starts\ncreated, eager: True\n" : "created, eager: False\nchild 1 starts\n"),
        stdout,
      );
      // The first step is the child's own: it sits between the child's creation and main's next step.
      const created = trace.events.findIndex((e) => e.kind === "task-created" && e.task === child);
      const firstStep = trace.events.indexOf(steps[0]);
      assert.ok(created >= 0 && firstStep > created);
      const mainStepEnd = trace.events.findIndex((e) => e.kind === "step" && e.task === taskId(trace, "Task-1"));
      assert.equal(firstStep < mainStepEnd, eager);
    });

    it("records the first step of a task made with create_task(eager_start=True) as its own (3.14+)", async () => {
      const eagerTrace = await engine!.run({ file: join(FIXTURES, "eager_start.py") });
      assert.equal(eagerTrace.exitCode, 0);
      const eager = eagerTrace.pythonVersion >= "3.14";
      const child = taskId(eagerTrace, "eager child");
      const steps = eagerTrace.events.filter((e): e is TaskStepEvent => e.kind === "step" && e.task === child);
      assert.deepEqual(
        steps.map((s) => [s.t, s.awaiting?.label ?? null, s.suspended?.line ?? null]),
        [
          [0, "sleep(1)", 10],
          [1, null, null],
        ],
      );
      const outputs = eagerTrace.events.filter((e): e is OutputEvent => e.kind === "output");
      assert.equal(outputs.find((e) => e.text.includes("child 1 starts"))?.task, child);
      assert.equal(outputs.find((e) => e.text.includes("created, eager"))?.task, taskId(eagerTrace, "Task-1"));
      const stdout = outputs.map((e) => e.text).join("");
      assert.ok(stdout.startsWith(eager ? "child 1 starts\ncreated, eager: True\n" : "created, eager: False\nchild 1 starts\n"), stdout);
    });

    it("ends a cancelled task where it was waiting, and keeps the result of a finished one", () => {
      const sleeper = trace.tasks.find((t) => t.name === "sleeper")!;
      assert.deepEqual(sleeper.end, { kind: "cancelled", t: 0.5, location: { file: join(FIXTURES, "steps.py"), line: 14 }, atShutdown: false });
      assert.deepEqual(trace.tasks.find((t) => t.name === "child")!.end, { kind: "result", t: 1, repr: "1" });
      assert.equal(trace.virtualTime, 1);
    });
  });
}

for (const [engineName, makeEngine] of ENGINES) {
  describe(`tracer: tasks built with asyncio.Task(coro) directly (${engineName} engine)`, function () {
    this.timeout(120_000);
    // The differential corpus's program: there its output is compared with CPython's.
    const file = resolve(FIXTURES, "..", "programs", "sched_task_constructed_directly.py");
    let engine: Engine | undefined;
    let trace: Trace;
    before(async function () {
      engine = makeEngine();
      if (!engine) this.skip();
      trace = await engine.run({ file });
    });
    after(() => engine?.dispose());

    const task = (coro: string) => {
      const found = trace.tasks.find((t) => t.coro === coro);
      assert.ok(found, `no task runs ${coro}: ${trace.tasks.map((t) => t.coro).join(", ")}`);
      return found;
    };

    it("gives each its own task, labelled from its arguments and placed at the line that made its coroutine", () => {
      assert.equal(trace.exitCode, 0);
      assert.deepEqual(trace.tasks.map((t) => t.coro).sort(), ["main()", "worker('A', 1)", "worker('B', 2)", "worker('C', 0.5)", "worker('D', 1)"]);
      const direct = task("worker('A', 1)");
      assert.equal(direct.name, "Task-2");
      assert.deepEqual(direct.created, { file, line: 13 });
      assert.equal(direct.parent, null); // not known for these
      assert.equal(task("worker('B', 2)").parent, task("main()").id); // create_task: known
      assert.deepEqual(task("worker('C', 0.5)").created, { file, line: 16 });
    });

    it("records their steps, output and ends, and names them among what others wait on", () => {
      const direct = task("worker('A', 1)");
      const steps = trace.events.filter((e): e is TaskStepEvent => e.kind === "step" && e.task === direct.id);
      assert.deepEqual(
        steps.map((s) => [s.t, s.awaiting?.label ?? null, s.suspended?.line ?? null]),
        [
          [0, "sleep(1)", 7],
          [1, null, null],
        ],
      );
      const printedBy = (text: string) => trace.events.find((e): e is OutputEvent => e.kind === "output" && e.text.includes(text))?.task;
      assert.equal(printedBy("A done"), direct.id);
      assert.equal(printedBy("C done"), task("worker('C', 0.5)").id);
      assert.deepEqual(direct.end, { kind: "result", t: 1, repr: "'A'" });
      // Cancelled before its first step: it still has its task, ended as cancelled.
      assert.equal(task("worker('D', 1)").end.kind, "cancelled");
      // main's gather waits on both, the direct one included, and it awaits C by name.
      const mainSteps = trace.events.filter((e): e is TaskStepEvent => e.kind === "step" && e.task === task("main()").id);
      assert.deepEqual(mainSteps[0].awaiting?.tasks?.slice().sort(), [direct.id, task("worker('B', 2)").id].sort());
      assert.deepEqual(mainSteps[1].awaiting?.tasks, [task("worker('C', 0.5)").id]);
      // Each task-created comes before the task's first step.
      for (const t of trace.tasks) {
        const created = trace.events.findIndex((e) => e.kind === "task-created" && e.task === t.id);
        const first = trace.events.findIndex((e) => e.kind === "step" && e.task === t.id);
        assert.ok(created >= 0 && (first < 0 || created < first), `${t.coro}: created at ${created}, first step at ${first}`);
      }
    });
  });
}

describe("tracer: the loop's _run_once and a step's Handle._run are CPython's, edited in place", () => {
  interface Comparison { qualname: string; file: boolean; compiled: boolean; lines: number; kept: number; same: number; touched?: number }
  let report: { run_once: Comparison; step_run: Comparison };
  before(() => {
    // Tracebacks take their markers from these positions (CPython 3.13+ draws them under
    // whole-line calls too), so a shift of even one column shows in the output.
    const result = spawnSync("python3", [join(FIXTURES, "compiled_positions.py")], {
      encoding: "utf8",
      env: { ...process.env, PYTHONPATH: resolve(__dirname, "..", "..", "..", "src", "engine", "python") },
    });
    assert.equal(result.status, 0, result.stderr);
    report = JSON.parse(result.stdout);
  });

  it("keeps CPython's line and column positions on every line of _run_once it does not edit", () => {
    const runOnce = report.run_once;
    assert.equal(runOnce.qualname, "BaseEventLoop._run_once");
    assert.ok(runOnce.file);
    assert.equal(runOnce.touched, 3);
    assert.ok(runOnce.lines > 40);
    assert.equal(runOnce.same, runOnce.lines - runOnce.touched!);
  });

  it("runs a traced step through CPython's Handle._run, compiled in place: the callback's lines keep their positions", () => {
    const stepRun = report.step_run;
    assert.deepEqual([stepRun.qualname, stepRun.file, stepRun.compiled], ["Handle._run", true, true], "not the fallback");
    assert.ok(stepRun.kept >= 10);
    assert.equal(stepRun.same, stepRun.kept);
  });
});
