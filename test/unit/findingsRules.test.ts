import * as assert from "node:assert/strict";
import { computeLineStats, describeAwaitLine, describeBlockedLine } from "../../src/core/findings/lineStats";
import { dependsOnEarlier, functionBody } from "../../src/core/findings/missedConcurrency";
import { editMovesLines } from "../../src/core/findings/staleness";
import { formatSeconds, readableCoro } from "../../src/core/findings/traceFacts";
import { fixturePath, loadFindingsTrace } from "./findingsFixtures";

describe("finding rules: the pieces", () => {
  it("formats seconds the way messages read them", () => {
    assert.deepEqual([3, 2.6000000000000005, 0.999, 0.15, 0.1, 0.005, 0, 1e-12].map(formatSeconds), ["3.0 s", "2.6 s", "1.0 s", "0.15 s", "0.10 s", "5 ms", "0 s", "0 s"]);
  });

  it("object reprs in coroutine calls read as their type", () => {
    assert.equal(readableCoro("consumer(<asyncio.locks.Event object a…)"), "consumer(<Event>)");
    assert.equal(readableCoro("worker(<Queue at 0x7f6723b913d0 maxs…)"), "worker(<Queue>)");
    assert.equal(readableCoro("pair(<Lock object at 0x1 [unlocked]>, 3)"), "pair(<Lock>, 3)");
    assert.equal(readableCoro("fetch('A', 3)"), "fetch('A', 3)");
    assert.equal(readableCoro("use_config(<Task pending name='Task-2' c…)"), "use_config(<Task-2>)");
  });

  it("an await that reads an earlier await's result, directly or through an assignment, depends on it", () => {
    const lines = [
      "async def main():", //                                   1
      "    user = await get_user('ada')", //                    2
      "    uid = user['id']", //                                3
      "    posts = await get_posts(uid)", //                    4
      "    stats = await get_stats()  # uses nothing above", // 5
      "    async with lock as held:", //                        6
      "        other = await held.fetch()", //                  7
      "    if posts:", //                                       8
      "        more = await more_posts()", //                   9
      "    text = await render(f'{stats}')", //                10
    ];
    assert.equal(dependsOnEarlier(lines, [2], 4), true);
    assert.equal(dependsOnEarlier(lines, [4], 5), false);
    assert.equal(dependsOnEarlier(lines, [6], 7), true);
    assert.equal(dependsOnEarlier(lines, [4], 9), true, "a condition on an earlier result");
    assert.equal(dependsOnEarlier(lines, [5], 10), true, "f-strings read names");
    assert.equal(dependsOnEarlier(lines, [7], 10), false);
  });

  it("finds a coroutine function's body from its def line, past decorators and blank lines", () => {
    const lines = ["@traced", "async def main():", "    a = 1", "", "    # note", "    await x()", "", "def other():", "    pass"];
    assert.deepEqual(functionBody({ file: "f.py", line: 1 }, () => lines), { file: "f.py", first: 2, last: 6 });
    assert.equal(functionBody({ file: "f.py", line: 1 }, () => undefined), null);
  });

  it("an edit that shifts or rewrites a reported line makes the run's findings stale; others do not", () => {
    const lines = [15, 20];
    assert.equal(editMovesLines([{ startLine: 2, endLine: 2, text: "x = 1" }], lines), false, "same line count, above");
    assert.equal(editMovesLines([{ startLine: 2, endLine: 2, text: "x = 1\ny = 2" }], lines), true, "a line inserted above");
    assert.equal(editMovesLines([{ startLine: 14, endLine: 14, text: "await asyncio.sleep(3)" }], lines), true, "line 15 rewritten");
    assert.equal(editMovesLines([{ startLine: 30, endLine: 32, text: "" }], lines), false, "lines removed below");
    assert.equal(editMovesLines([{ startLine: 16, endLine: 17, text: "" }], lines), true, "lines removed between moves line 20");
  });

  it("per-line stats for hovers: suspensions, total wait and the task", () => {
    const trace = loadFindingsTrace("pending_at_shutdown");
    const stats = computeLineStats(trace);
    const heartbeat = stats.awaits.get(`${fixturePath("pending_at_shutdown")}:7`)!;
    assert.equal(heartbeat.suspensions, 3);
    assert.equal(describeAwaitLine(trace, heartbeat), "suspended 3× · waited 2.5 s total · in Task-2 (heartbeat())");
    const main = stats.awaits.get(`${fixturePath("pending_at_shutdown")}:13`)!;
    assert.equal(describeAwaitLine(trace, main), "suspended 1× · waited 2.5 s total · in Task-1 (main())");
    assert.equal(describeAwaitLine(trace, heartbeat, "zh-tw"), "暫停 3 次 · 共等待 2.5 s · 在 Task-2 (heartbeat()) 中");
  });

  it("per-line stats for blocking lines", () => {
    const trace = loadFindingsTrace("loop_blocked");
    const blocked = computeLineStats(trace).blocked.get(`${fixturePath("loop_blocked")}:15`)!;
    assert.equal(describeBlockedLine(trace, blocked), "blocked the loop 1× for 3.0 s · time.sleep(3) · in Task-1 (main())");
    const gather = computeLineStats(loadFindingsTrace("clean_gather_1000"));
    const job = gather.awaits.get(`${fixturePath("clean_gather_1000")}:6`)!;
    assert.equal(job.suspensions, 1000);
    assert.equal(job.tasks.length, 1000);
    assert.equal(describeAwaitLine(loadFindingsTrace("clean_gather_1000"), job), "suspended 1000× · waited 499.5 s total · in 1000 tasks (Task-2, Task-3, Task-4, …)");
  });
});
