import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TaskStepEvent } from "../../src/core/trace/schema";
import { EmbeddedEngine } from "../../src/engine/embedded";
import { LocalEngine } from "../../src/engine/local";
import type { Engine } from "../../src/engine/types";

// What a task waits on, as the tracer labels it, for each asyncio primitive (real python3 run).
const FIXTURES = resolve(__dirname, "..", "..", "..", "test", "fixtures", "tracer");

describe("tracer: await targets", function () {
  this.timeout(30_000);

  it("labels locks, events, queues, semaphores, conditions, barriers, wait_for and gather", async () => {
    const trace = await new LocalEngine().run({ file: join(FIXTURES, "await_targets.py") });
    assert.equal(trace.exitCode, 0);
    const names = new Map(trace.tasks.map((t) => [t.id, t.name]));
    const firstWait = new Map<string, TaskStepEvent>();
    for (const event of trace.events) {
      if (event.kind === "step" && event.awaiting && !firstWait.has(names.get(event.task)!)) firstWait.set(names.get(event.task)!, event);
    }
    const label = (name: string) => {
      const awaiting = firstWait.get(name)?.awaiting;
      return awaiting && [awaiting.kind, awaiting.label, awaiting.tasks ?? null];
    };
    assert.deepEqual(label("lock"), ["lock", "Lock.acquire", null]);
    assert.deepEqual(label("event"), ["event", "Event.wait", null]);
    assert.deepEqual(label("queue"), ["queue", "Queue.get", null]);
    assert.deepEqual(label("semaphore"), ["lock", "Semaphore.acquire", null]);
    assert.deepEqual(label("condition"), ["lock", "Condition.wait", null]);
    assert.deepEqual(label("barrier"), ["barrier", "Barrier.wait", null]);
    assert.deepEqual(label("wait_for"), ["wait", "wait_for(Task-9)", [9]]);
    assert.deepEqual(label("Task-9"), ["sleep", "sleep(5)", null]);
    assert.deepEqual(label("Task-1"), ["sleep", "sleep(0)", null]);
    const gather = trace.events.find((e): e is TaskStepEvent => e.kind === "step" && e.awaiting?.kind === "gather");
    assert.equal(gather?.awaiting?.label, "gather(lock, event, queue, semaphore, condition, barrier, … 1 more)");
    assert.deepEqual(gather?.awaiting?.tasks, [2, 3, 4, 5, 6, 7, 8]);
    // The condition waiter's own code is where it suspended; library-only tasks have no user line.
    assert.equal(firstWait.get("condition")?.suspended?.line, 20);
    assert.equal(firstWait.get("lock")?.suspended, null);
    assert.deepEqual(
      trace.tasks.map((t) => [t.name, t.coro, t.end.kind]),
      [
        ["Task-1", "main()", "result"],
        ["lock", "Lock.acquire()", "result"],
        ["event", "Event.wait()", "result"],
        ["queue", "Queue.get()", "result"],
        ["semaphore", "Semaphore.acquire()", "result"],
        ["condition", "main.<locals>.on_condition()", "result"],
        ["barrier", "Barrier.wait()", "result"],
        ["wait_for", "wait_for(child(), 1)", "exception"],
        ["Task-9", "child()", "cancelled"],
      ],
    );
    assert.equal(trace.virtualTime, 1);
  });

  it("gives each step the line in the task's own coroutine (taskLine) and labels `async with lock:` as Lock.acquire", async () => {
    const trace = await new LocalEngine().run({ file: join(FIXTURES, "task_line.py") });
    assert.equal(trace.exitCode, 0);
    const steps = trace.events.filter((e): e is TaskStepEvent => e.kind === "step" && e.awaiting !== null);
    const lines = steps.map((s) => [s.task, s.suspended?.line ?? null, s.taskLine?.line ?? null, s.awaiting?.label]);
    assert.deepEqual(lines, [
      [1, 7, 16, "sleep(1)"], // main awaits fetch_a(): the sleep is in fetch_a, main waits at line 16
      [1, 18, 18, "gather(Task-2, Task-3)"], // an await directly in the task's coroutine: both the same
      [2, 12, 12, "sleep(1)"],
      [3, 11, 11, "Lock.acquire"], // waiting in `async with lock:` (asyncio's __aenter__ calls acquire)
      [3, 12, 12, "sleep(1)"],
    ]);
    assert.equal(steps[3].awaiting?.kind, "lock");
  });
});

// asyncio.Lock has no owner attribute: the tracer's own bookkeeping (lock_owners.py) must give the
// same answer under the user's CPython and under CPython 3.14 in WebAssembly.
const DIST = resolve(__dirname, "..", "..", "..", "dist");
const ENGINES: [string, () => Engine | undefined][] = [
  ["local", () => new LocalEngine()],
  [
    "embedded",
    () => (existsSync(join(DIST, "embeddedWorker.js")) ? new EmbeddedEngine({ distDir: DIST, cacheDir: join(tmpdir(), "asyncio-trace-test-cache") }) : undefined),
  ],
];

for (const [engineName, makeEngine] of ENGINES) {
  describe(`tracer: which task holds a lock (${engineName} engine)`, function () {
    this.timeout(120_000);
    let engine: Engine | undefined;
    before(function () {
      engine = makeEngine();
      if (!engine) this.skip();
    });
    after(() => engine?.dispose());

    it("a Lock.acquire wait names the holder as the lock changes hands, also for a Condition's lock", async () => {
      const trace = await engine!.run({ file: join(FIXTURES, "lock_owners.py") });
      assert.equal(trace.exitCode, 0);
      const names = new Map(trace.tasks.map((t) => [t.id, t.name]));
      const lockWaits = trace.events
        .filter((e): e is TaskStepEvent => e.kind === "step" && e.awaiting?.kind === "lock")
        .map((e) => [names.get(e.task), e.t, e.suspended?.line, e.awaiting!.label, e.awaiting!.heldBy ?? null]);
      assert.deepEqual(lockWaits, [
        ["second", 0, 7, "Lock.acquire", { task: 2, name: "first" }], // `async with lock:` while first holds it
        ["Task-1", 1.5, 23, "Lock.acquire", { task: 3, name: "second" }], // `await lock.acquire()`: first released it at t=1
        ["Task-1", 2, 28, "Lock.acquire", { task: 4, name: "notifier" }], // `async with condition:` waits for its Lock
      ]);
      assert.equal(trace.events.find((e) => e.kind === "output")?.text, "locked: False True\n");
    });

    it("the deadlock report's waiters carry heldBy: each worker waits for the lock the other holds", async () => {
      let stderr = "";
      const trace = await engine!.run({
        file: resolve(FIXTURES, "..", "findings", "deadlock_lock_held.py"),
        onOutput: (stream, chunk) => (stream === "stderr" ? (stderr += chunk) : undefined),
      });
      assert.equal(trace.status, "deadlock");
      // The engine's own deadlock message on stderr names the holders too.
      assert.match(stderr, /^  Task-2 \(worker\('a', .*\)\) waits on Lock\.acquire \(held by Task-3\) at \S+deadlock_lock_held\.py:11$/m);
      assert.match(stderr, /^  Task-3 \(worker\('b', .*\)\) waits on Lock\.acquire \(held by Task-2\) at \S+deadlock_lock_held\.py:11$/m);
      assert.equal(trace.exitCode, 124);
      assert.deepEqual(
        trace.deadlock?.waiters.map((w) => [w.task, w.location?.line, w.awaiting?.label, w.awaiting?.heldBy ?? null]),
        [
          [1, 24, "Task-2", null],
          [2, 11, "Lock.acquire", { task: 3, name: "Task-3" }],
          [3, 11, "Lock.acquire", { task: 2, name: "Task-2" }],
        ],
      );
      // The step that left each worker waiting says the same.
      const lastWait = (task: number) => trace.events.filter((e): e is TaskStepEvent => e.kind === "step" && e.task === task).at(-1)?.awaiting?.heldBy;
      assert.deepEqual([lastWait(2), lastWait(3)], [{ task: 3, name: "Task-3" }, { task: 2, name: "Task-2" }]);
    });
  });
}
