import * as assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { LocalEngine } from "../../src/engine/local";

// asyncio's own log output (debug slow callback, never-retrieved exception) and an ExceptionGroup
// ending the program, as printed to stderr and as recorded in the trace (real python3 run).
const FIXTURES = resolve(__dirname, "..", "..", "..", "test", "fixtures", "tracer");

describe("tracer: asyncio logs and exception groups", function () {
  this.timeout(30_000);

  it("prints and records the slow-callback report, the unretrieved exception and the group's leaves", async () => {
    let stderr = "";
    const trace = await new LocalEngine().run({
      file: join(FIXTURES, "logs_and_groups.py"),
      onOutput: (stream, chunk) => (stream === "stderr" ? (stderr += chunk) : undefined),
    });
    assert.equal(trace.exitCode, 1);
    assert.match(stderr, /^Executing <Task finished name='Task-2' coro=<blocks\(\) done, defined at .*logs_and_groups\.py:6> result=None created at .*> took 3\.000 seconds$/m);
    assert.match(stderr, /^Task exception was never retrieved\nfuture: <Task finished name='Task-3' coro=<fails\(\) done/m);
    assert.match(stderr, /^  \| ExceptionGroup: unhandled errors in a TaskGroup \(1 sub-exception\)$/m);
    assert.doesNotMatch(stderr, /asyncio_trace|run_traced/);
    const logs = trace.events.flatMap((e) => (e.kind === "log" ? [[e.logger, e.level, e.message.split("\n")[0], e.t]] : []));
    assert.deepEqual(logs.map((l) => l.slice(0, 2)), [["asyncio", "WARNING"], ["asyncio", "ERROR"]]);
    assert.match(String(logs[0][2]), /took 3\.000 seconds$/);
    assert.equal(logs[1][2], "Task exception was never retrieved");
    const blocked = trace.events.find((e) => e.kind === "blocked");
    assert.deepEqual(blocked && [blocked.kind === "blocked" && blocked.call, blocked.t, blocked.kind === "blocked" && blocked.tEnd], ["time.sleep(3)", 0, 3]);
    assert.equal(trace.uncaught?.type, "ExceptionGroup");
    assert.equal(trace.uncaught?.line, "ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)");
    assert.deepEqual(trace.uncaught?.exceptions?.map((e) => [e.type, e.line, e.location?.line]), [["KeyError", "KeyError: 'lost'", 11]]);
    const byName = new Map(trace.tasks.map((t) => [t.name, t.end]));
    const lost = byName.get("Task-3");
    assert.equal(lost?.kind === "exception" && lost.retrieved, false);
    assert.equal(trace.virtualTime, 3.1);
  });
});
