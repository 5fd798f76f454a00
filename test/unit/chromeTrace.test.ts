import * as assert from "node:assert/strict";
import { LOOP_TID, toChromeTrace, type ChromeTraceEvent } from "../../src/core/trace/chromeTrace";
import { loadFindingsTrace } from "./findingsFixtures";

/** The checks chrome://tracing and Perfetto's JSON importer make on each record. */
function assertValidTraceEventFormat(events: ChromeTraceEvent[]): void {
  for (const event of events) {
    assert.equal(typeof event.name, "string");
    assert.ok(["X", "i", "M"].includes(event.ph), `ph ${event.ph}`);
    assert.ok(Number.isInteger(event.pid) && Number.isInteger(event.tid), "integer pid/tid");
    assert.ok(Number.isFinite(event.ts) && event.ts >= 0, `ts ${event.ts}`);
    if (event.ph === "X") assert.ok(Number.isFinite(event.dur) && event.dur! >= 0, `dur of ${event.name}`);
    if (event.ph === "i") assert.ok(event.s === "t" || event.s === "p" || event.s === "g");
  }
}

describe("Chrome trace export (Trace Event Format)", () => {
  it("survives JSON, names a thread per task plus the loop, and every record is well-formed", () => {
    const trace = loadFindingsTrace("clean_gather_two");
    const exported = JSON.parse(JSON.stringify(toChromeTrace(trace))) as ReturnType<typeof toChromeTrace>;
    assertValidTraceEventFormat(exported.traceEvents);
    const threadNames = exported.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => [e.tid, e.args?.name]);
    assert.deepEqual(threadNames, [
      [LOOP_TID, "event loop"],
      [1, "Task-1 · main()"],
      [2, "Task-2 · fetch('A', 3)"],
      [3, "Task-3 · fetch('B', 2)"],
    ]);
    assert.equal(exported.displayTimeUnit, "ms");
  });

  it("waits are complete events in virtual microseconds: A's sleep(3) is 3,000,000 µs on its thread", () => {
    const exported = toChromeTrace(loadFindingsTrace("clean_gather_two"));
    const waits = exported.traceEvents.filter((e) => e.ph === "X" && e.cat?.startsWith("wait")).map((e) => [e.tid, e.name, e.ts, e.dur]);
    assert.deepEqual(waits, [
      [3, "await sleep(2)", 0, 2_000_000],
      [2, "await sleep(3)", 0, 3_000_000],
      [1, "await gather(Task-2, Task-3)", 0, 3_000_000],
    ]);
    const idle = exported.traceEvents.filter((e) => e.cat === "idle").map((e) => [e.tid, e.ts, e.dur]);
    assert.deepEqual(idle, [
      [LOOP_TID, 0, 2_000_000],
      [LOOP_TID, 2_000_000, 1_000_000],
    ]);
  });

  it("a blocked span is a complete event nested in the step that blocked", () => {
    const exported = toChromeTrace(loadFindingsTrace("loop_blocked"));
    assertValidTraceEventFormat(exported.traceEvents);
    const blocked = exported.traceEvents.find((e) => e.cat === "blocked");
    assert.deepEqual([blocked?.name, blocked?.tid, blocked?.ts, blocked?.dur], ["blocked · time.sleep(3)", 1, 100_000, 3_000_000]);
    const step = exported.traceEvents.find((e) => e.cat === "step" && e.tid === 1 && e.ts === 100_000);
    assert.ok(step && step.ts <= blocked!.ts && step.ts + step.dur! >= blocked!.ts + blocked!.dur!, "blocked inside its step");
    const output = exported.traceEvents.filter((e) => e.cat === "output").map((e) => [e.ph, e.tid, e.ts, e.name]);
    assert.deepEqual(output[0], ["i", 2, 3_100_000, "stdout: tick 3.1"]);
  });

  it("complete events on one thread never partly overlap (the viewers need proper nesting)", () => {
    for (const name of ["loop_blocked", "clean_pipeline", "slow_step", "missed_concurrency_http", "pending_at_shutdown"]) {
      const spans = toChromeTrace(loadFindingsTrace(name)).traceEvents.filter((e) => e.ph === "X");
      for (const a of spans) {
        for (const b of spans) {
          if (a === b || a.tid !== b.tid) continue;
          const aEnd = a.ts + a.dur!;
          const bEnd = b.ts + b.dur!;
          const partial = a.ts < b.ts && b.ts < aEnd && aEnd < bEnd;
          assert.ok(!partial, `${name}: "${a.name}" [${a.ts}, ${aEnd}] and "${b.name}" [${b.ts}, ${bEnd}] overlap partly`);
        }
      }
    }
  });
});
