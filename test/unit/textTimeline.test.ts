import * as assert from "node:assert/strict";
import { computeFindings } from "../../src/core/findings";
import { renderTextTimeline, waitTotals } from "../../src/core/trace/textTimeline";
import { loadFindingsTrace } from "./findingsFixtures";

/** The rows of one task's lane: from its header line to the next blank line. */
function lane(text: string, header: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith(header));
  assert.ok(start >= 0, `no lane ${header}`);
  const end = lines.indexOf("", start);
  return lines.slice(start, end);
}

describe("text timeline (golden traces)", () => {
  it("the tutorial's gather: a lane per task with its waits, and 3.0 s total against 5.0 s of waits", () => {
    const trace = loadFindingsTrace("clean_gather_two");
    const text = renderTextTimeline(trace, computeFindings(trace));
    const lines = text.split("\n");
    assert.match(lines[0], /^asyncio-trace {2}.*clean_gather_two\.py$/);
    assert.match(lines[1], /^engine local · Python 3\.\d+\.\d+ · ok · exit 0 · virtual 3\.000 s · wall \d+ ms · 3 tasks$/);
    assert.deepEqual(lane(text, "Task-2"), [
      "Task-2  fetch('A', 3)  · created at line 13 by Task-1",
      "  t=  0.000  ▶ run     line 5",
      '  t=  0.000  ✎ print   "A start"',
      "  t=  0.000  ⏸ await   sleep(3)  line 7  3.000 s",
      "  t=  3.000  ▶ resume  line 7",
      '  t=  3.000  ✎ print   "A done"',
      "  t=  3.000  ✓ return  'A'",
    ]);
    assert.equal(lane(text, "Task-1")[2], "  t=  0.000  ⏸ await   gather(Task-2, Task-3)  line 13  3.000 s");
    assert.ok(lines.includes("total virtual time 3.0 s · sum of waits 5.0 s → concurrency saved 2.0 s"));
    assert.ok(lines.includes("No findings: the run shows none of the known asyncio mistakes."));
  });

  it("a blocked span sits inside the step that blocked, and the finding is listed with file:line", () => {
    const trace = loadFindingsTrace("loop_blocked");
    const text = renderTextTimeline(trace, computeFindings(trace));
    assert.deepEqual(lane(text, "Task-1").slice(3, 6), [
      "  t=  0.100  ▶ resume  line 14  ran 3.000 s of virtual time",
      "  t=  0.100  ⛔ blocked  3.0 s  time.sleep(3)  line 15",
      "  t=  3.100  ⏸ await   Task-2  line 16  1.500 s",
    ]);
    // The ticker's first sleep(0.5) waited 3.1 s: the lane shows what really happened.
    assert.equal(lane(text, "Task-2")[2], "  t=  0.000  ⏸ await   sleep(0.5)  line 8  3.100 s");
    assert.match(text, /\ntotal virtual time 4\.6 s · sum of waits 5\.1 s \(2\.1 s awaited \+ 3\.0 s blocked\) → concurrency saved 0\.50 s\n/);
    assert.match(text, /\nFindings \(1\)\n {2}⚠ loop_blocked\.py:15 {2}loop-blocked {2}line 15 blocked the event loop for 3\.0 s/);
  });

  it("a deadlock: the status in the header, tasks still waiting, and an error per stuck task", () => {
    const trace = loadFindingsTrace("deadlock_event");
    const text = renderTextTimeline(trace, computeFindings(trace));
    assert.match(text.split("\n")[1], / · deadlock · exit 124 · /);
    assert.equal(lane(text, "Task-2").at(-1), "  t=  0.000  ⏸ await   Event.wait  line 6  still waiting at t=1.000");
    assert.match(text, /\nFindings \(2\)\n {2}✖ deadlock_event\.py:6 {2}deadlock {2}deadlock: Task-2/);
    assert.ok(text.includes("total virtual time 1.0 s · sum of waits 1.0 s → no waits overlapped"));
  });

  it("a simulated request is shown under the await it belongs to", () => {
    const text = renderTextTimeline(loadFindingsTrace("missed_concurrency_http"), []);
    assert.deepEqual(lane(text, "Task-1").slice(2, 5), [
      "  t=  0.000  ⏸ await   GET https://api.example.com/users  line 9  0.100 s",
      "  t=  0.000  ⇄ network  GET https://api.example.com/users → 200  0.100 s",
      "  t=  0.100  ▶ resume  line 9",
    ]);
  });

  it("1,000 tasks: 40 lanes in full, the rest summarised, idle jumps folded into one row", () => {
    const trace = loadFindingsTrace("clean_gather_1000");
    const text = renderTextTimeline(trace, []);
    const lines = text.split("\n");
    assert.ok(lines.includes("… 961 more tasks not shown (961× job)"), "summary of hidden lanes");
    assert.ok(lines.some((line) => /^ {2}t= {2}0\.000 {2}· idle {5}999 clock jumps up to t=0\.999 \(0\.999 s idle in total\)$/.test(line)));
    assert.ok(lines.length < 400, `${lines.length} lines`);
    assert.ok(lines.includes("total virtual time 1.0 s · sum of waits 499.5 s → concurrency saved 498.5 s"));
  });

  it("colour only when asked, and rows cut to the width without breaking escapes", () => {
    const trace = loadFindingsTrace("loop_blocked");
    const findings = computeFindings(trace);
    assert.ok(!renderTextTimeline(trace, findings).includes("\x1b["));
    const coloured = renderTextTimeline(trace, findings, { color: true, width: 60 });
    assert.ok(coloured.includes("\x1b[31m⛔ blocked\x1b[0m"));
    for (const line of coloured.split("\n")) {
      const visible = line.replace(/\x1b\[[0-9;]*m/g, "");
      assert.ok([...visible].length <= 60, `too wide: ${visible}`);
    }
    const plain = renderTextTimeline(trace, findings, { width: 50 }).split("\n");
    assert.ok(plain.some((line) => line.endsWith("…") && line.length === 50));
  });

  it("sum of waits: sleeps count what they asked for, blocking counts in full", () => {
    const totals = waitTotals(loadFindingsTrace("loop_blocked"));
    assert.ok(Math.abs(totals.leafWaits - 2.1) < 1e-9, String(totals.leafWaits));
    assert.ok(Math.abs(totals.blocked - 3) < 1e-9);
  });
});
