import * as assert from "node:assert/strict";
import { computeFindings, type Finding } from "../../src/core/findings";
import { fixturePath, loadFindingsTrace } from "./findingsFixtures";

/** The finding as a test states it: kind, severity, file line, English message. */
function summary(findings: Finding[]): { code: string; severity: string; line: number | null; message: string }[] {
  return findings.map((f) => ({ code: f.code, severity: f.severity, line: f.location?.line ?? null, message: f.message.en }));
}

describe("runtime findings on golden traces (real runs of test/fixtures/findings)", () => {
  it("never-awaited: points at the line that created the coroutine and names the task that did", () => {
    const trace = loadFindingsTrace("never_awaited");
    const findings = computeFindings(trace);
    assert.deepEqual(summary(findings), [
      {
        code: "never-awaited",
        severity: "warning",
        line: 11,
        message: "coroutine `save` created at line 11 was never awaited: its body never ran (created by Task-1 (main()))",
      },
    ]);
    assert.equal(findings[0].location?.file, fixturePath("never_awaited"));
    assert.deepEqual(findings[0].tasks, [1]);
    assert.match(findings[0].message["zh-tw"], /^第 11 行建立的協程 `save` 從未被 await/);
  });

  it("never-awaited for a module global: CPython warns at exit (\"sys:1\"), the finding still names line 9", () => {
    const findings = computeFindings(loadFindingsTrace("never_awaited_global"));
    assert.deepEqual(summary(findings), [
      { code: "never-awaited", severity: "warning", line: 9, message: "coroutine `refresh_cache` created at line 9 was never awaited: its body never ran" },
    ]);
    assert.deepEqual(findings[0].related, []);
  });

  it("loop-blocked: the time.sleep line, how long, and the ticker that woke 2.6 s late", () => {
    const findings = computeFindings(loadFindingsTrace("loop_blocked"));
    assert.deepEqual(summary(findings), [
      {
        code: "loop-blocked",
        severity: "warning",
        line: 15,
        message: "line 15 blocked the event loop for 3.0 s (`time.sleep(3)`); meanwhile Task-2 (ticker()) woke 2.6 s late",
      },
    ]);
    // The span to select in the timeline is the blocked span itself: 0.1 → 3.1.
    assert.ok(Math.abs(findings[0].span!.t - 0.1) < 1e-9 && Math.abs(findings[0].span!.tEnd - 3.1) < 1e-9);
    assert.deepEqual(findings[0].tasks.sort(), [1, 2]);
  });

  it("loop-blocked: a task whose awaited task had finished was ready, and woke 2.0 s late", () => {
    assert.deepEqual(summary(computeFindings(loadFindingsTrace("loop_blocked_ready"))), [
      {
        code: "loop-blocked",
        severity: "warning",
        line: 19,
        message: "line 19 blocked the event loop for 2.0 s (`time.sleep(2)`); meanwhile Task-3 (use_config(<Task-2>)) woke 2.0 s late",
      },
    ]);
  });

  it("loop-blocked: a task created before the span was ready and could not start", () => {
    assert.equal(
      computeFindings(loadFindingsTrace("tutorial_blocking_call"))[0].message.en,
      "line 7 blocked the event loop for 3.0 s (`time.sleep(3)`); meanwhile Task-3 (sleep(1, None)) was ready but could not run",
    );
  });

  it("exception-never-retrieved: the task, its exception, the raising line and the creation line", () => {
    const findings = computeFindings(loadFindingsTrace("exception_never_retrieved"));
    assert.deepEqual(summary(findings), [
      {
        code: "exception-never-retrieved",
        severity: "error",
        line: 7,
        message: "Task-2 (load_config('settings.toml')) raised FileNotFoundError: settings.toml at line 7 and nobody retrieved it (task created at line 11)",
      },
    ]);
    assert.deepEqual(
      findings[0].related.map((r) => r.location.line),
      [11, 5],
    );
  });

  it("pending-at-shutdown: the heartbeat cancelled by asyncio.run while waiting at line 7", () => {
    const findings = computeFindings(loadFindingsTrace("pending_at_shutdown"));
    assert.deepEqual(summary(findings), [
      {
        code: "pending-at-shutdown",
        severity: "warning",
        line: 7,
        message: "Task-2 (heartbeat()) was still waiting on `sleep(1)` at line 7 when asyncio.run returned, and was cancelled",
      },
    ]);
    assert.equal(findings[0].span?.tEnd, 2.5);
  });

  it("pending-at-shutdown groups the tasks left at one line: 50 workers, one finding", () => {
    const findings = computeFindings(loadFindingsTrace("pending_workers"));
    assert.deepEqual(summary(findings), [
      {
        code: "pending-at-shutdown",
        severity: "warning",
        line: 7,
        message:
          "50 tasks (Task-2 (worker(<Queue>)), Task-3 (worker(<Queue>)), Task-4 (worker(<Queue>)) and 47 more) were still waiting on `Queue.get` at line 7 when asyncio.run returned, and were cancelled",
      },
    ]);
    assert.equal(findings[0].tasks.length, 50);
    assert.equal(findings[0].message["zh-tw"], "asyncio.run 結束時,50 個 Task(Task-2 (worker(<Queue>))、Task-3 (worker(<Queue>))、Task-4 (worker(<Queue>)) 及另外 47 個) 還停在第 7 行等待 `Queue.get`,於是被取消了");
  });

  it("deadlock on an Event: each stuck task, what it waits on and where", () => {
    const trace = loadFindingsTrace("deadlock_event");
    assert.equal(trace.status, "deadlock");
    const findings = computeFindings(trace);
    assert.deepEqual(
      summary(findings).map(({ code, severity, line }) => ({ code, severity, line })),
      [
        { code: "deadlock", severity: "error", line: 6 },
        { code: "deadlock", severity: "error", line: 14 },
      ],
    );
    assert.equal(findings[0].message.en, "deadlock: Task-2 (consumer(<Event>)) waits forever on `Event.wait` at line 6; no task is left that could set the event");
    assert.equal(findings[1].message.en, "deadlock: Task-1 (main()) waits forever on `Task-2` at line 14; it waits on Task-2 (consumer(<Event>)), which is stuck too");
    assert.deepEqual(findings[0].related.map((r) => r.location.line), [14]);
  });

  it("deadlock on a Queue: both tasks wait on Queue.get of an empty queue", () => {
    const findings = computeFindings(loadFindingsTrace("deadlock_queue"));
    assert.deepEqual(
      findings.map((f) => [f.location?.line, f.message.en]),
      [
        [7, "deadlock: Task-2 (worker(<Queue>)) waits forever on `Queue.get` at line 7; the queue is empty and no task is left that could put into it"],
        [17, "deadlock: Task-1 (main()) waits forever on `Queue.get` at line 17; the queue is empty and no task is left that could put into it"],
      ],
    );
  });

  it("deadlock on two locks taken in opposite order: both workers at their inner `async with`, main at the gather", () => {
    const findings = computeFindings(loadFindingsTrace("deadlock_locks"));
    assert.deepEqual(
      findings.map((f) => [f.location?.line, f.message.en]),
      [
        [
          8,
          "deadlock: Task-2 (transfer(<Lock>, <Lock>, 'payout')) waits forever on `Lock.acquire` at line 8; the lock is held by Task-3 (transfer(<Lock>, <Lock>, 'report')), which is itself stuck waiting on `Lock.acquire` at line 8",
        ],
        [
          8,
          "deadlock: Task-3 (transfer(<Lock>, <Lock>, 'report')) waits forever on `Lock.acquire` at line 8; the lock is held by Task-2 (transfer(<Lock>, <Lock>, 'payout')), which is itself stuck waiting on `Lock.acquire` at line 8",
        ],
        [
          14,
          "deadlock: Task-1 (main()) waits forever on `gather(Task-2, Task-3)` at line 14; it waits on Task-2 (transfer(<Lock>, <Lock>, 'payout')) and Task-3 (transfer(<Lock>, <Lock>, 'report')), which are stuck too",
        ],
      ],
    );
  });

  it("deadlock on two locks: each worker's finding names the task holding the lock it waits for, in both languages", () => {
    const findings = computeFindings(loadFindingsTrace("deadlock_lock_held"));
    assert.deepEqual(
      findings.map((f) => [f.location?.line, f.message.en, f.message["zh-tw"]]),
      [
        [
          11,
          "deadlock: Task-2 (worker('a', <Lock>, <Lock>)) waits forever on `Lock.acquire` at line 11; the lock is held by Task-3 (worker('b', <Lock>, <Lock>)), which is itself stuck waiting on `Lock.acquire` at line 11",
          "死結:Task-2 (worker('a', <Lock>, <Lock>)) 在第 11 行永遠等待 `Lock.acquire`;鎖由 Task-3 (worker('b', <Lock>, <Lock>)) 持有,而它自己也卡在第 11 行等待 `Lock.acquire`",
        ],
        [
          11,
          "deadlock: Task-3 (worker('b', <Lock>, <Lock>)) waits forever on `Lock.acquire` at line 11; the lock is held by Task-2 (worker('a', <Lock>, <Lock>)), which is itself stuck waiting on `Lock.acquire` at line 11",
          "死結:Task-3 (worker('b', <Lock>, <Lock>)) 在第 11 行永遠等待 `Lock.acquire`;鎖由 Task-2 (worker('a', <Lock>, <Lock>)) 持有,而它自己也卡在第 11 行等待 `Lock.acquire`",
        ],
        [
          24,
          "deadlock: Task-1 (main()) waits forever on `Task-2` at line 24; it waits on Task-2 (worker('a', <Lock>, <Lock>)), which is stuck too",
          "死結:Task-1 (main()) 在第 24 行永遠等待 `Task-2`;它在等 Task-2 (worker('a', <Lock>, <Lock>)),而它也卡住了",
        ],
      ],
    );
    // The other stuck tasks, linked from the first worker's finding, each in both languages.
    assert.deepEqual(
      findings[0].related.map((r) => [r.location.line, r.message.en, r.message["zh-tw"]]),
      [
        [24, "Task-1 (main()) waits here on Task-2", "Task-1 (main()) 在這裡等待 Task-2"],
        [
          11,
          "Task-3 (worker('b', <Lock>, <Lock>)) waits here on Lock.acquire (held by Task-2)",
          "Task-3 (worker('b', <Lock>, <Lock>)) 在這裡等待 Lock.acquire(鎖由 Task-2 持有)",
        ],
      ],
    );
  });

  it("deadlock on a lock whose holder ended without releasing it", () => {
    const findings = computeFindings(loadFindingsTrace("deadlock_lock_not_released"));
    assert.deepEqual(
      findings.map((f) => [f.location?.line, f.message.en, f.message["zh-tw"]]),
      [
        [
          13,
          "deadlock: Task-1 (main()) waits forever on `Lock.acquire` at line 13; the lock is held by Task-2 (reserve(<Lock>)), which ended without releasing it",
          "死結:Task-1 (main()) 在第 13 行永遠等待 `Lock.acquire`;鎖由 Task-2 (reserve(<Lock>)) 持有,但它已經結束,沒有釋放這個鎖",
        ],
      ],
    );
  });

  it("deadlock on a lock the waiting task already holds (asyncio.Lock is not reentrant)", () => {
    const findings = computeFindings(loadFindingsTrace("deadlock_lock_reentrant"));
    assert.deepEqual(
      findings.map((f) => [f.location?.line, f.message.en, f.message["zh-tw"]]),
      [
        [
          11,
          "deadlock: Task-1 (main()) waits forever on `Lock.acquire` at line 11; it already holds this lock itself, and asyncio.Lock is not reentrant",
          "死結:Task-1 (main()) 在第 11 行永遠等待 `Lock.acquire`;這個鎖已經由它自己持有,而 asyncio.Lock 不能重複取得",
        ],
      ],
    );
  });

  it("deadlock on a Future nobody resolves", () => {
    assert.deepEqual(summary(computeFindings(loadFindingsTrace("deadlock_future"))), [
      {
        code: "deadlock",
        severity: "error",
        line: 9,
        message: "deadlock: Task-1 (main()) waits forever on `Future` at line 9; no task is left that could set the Future's result",
      },
    ]);
  });

  it("pending-at-shutdown: a task destroyed while pending when the loop is closed by hand", () => {
    assert.deepEqual(summary(computeFindings(loadFindingsTrace("pending_destroyed"))), [
      {
        code: "pending-at-shutdown",
        severity: "warning",
        line: 7,
        message: "Task-1 (poll()) was still waiting on `sleep(1)` at line 7 when the loop was closed, and was destroyed while pending",
      },
    ]);
  });

  it("missed-concurrency: three independent requests in a row, 0.30 s instead of 0.10 s", () => {
    const findings = computeFindings(loadFindingsTrace("missed_concurrency_http"));
    assert.deepEqual(summary(findings), [
      {
        code: "missed-concurrency",
        severity: "info",
        line: 9,
        message: "these 3 awaits at lines 9, 10 and 11 in Task-1 (main()) ran one after another for 0.30 s while the loop sat idle; gathered they would take 0.10 s",
      },
    ]);
    assert.deepEqual(findings[0].related.map((r) => r.location.line), [10, 11]);
  });

  it("missed-concurrency through helper coroutines: the await lines in main, 5.0 s instead of 3.0 s", () => {
    // The sleeps run inside download(); each step's taskLine says which statement of main awaited.
    const findings = computeFindings(loadFindingsTrace("missed_concurrency"));
    assert.deepEqual(summary(findings), [
      {
        code: "missed-concurrency",
        severity: "info",
        line: 13,
        message: "these 2 awaits at lines 13 and 14 in Task-1 (main()) ran one after another for 5.0 s while the loop sat idle; gathered they would take 3.0 s",
      },
    ]);
    assert.deepEqual(findings[0].related.map((r) => r.location.line), [14]);
  });

  it("missed-concurrency needs the source: without it there is no proof, so no finding", () => {
    assert.deepEqual(computeFindings(loadFindingsTrace("missed_concurrency_http"), { readSource: () => undefined }), []);
  });

  it("slow-step: two steps that ran 0.15 s without yielding, plus the two blocking lines inside them", () => {
    const findings = computeFindings(loadFindingsTrace("slow_step"));
    assert.deepEqual(
      summary(findings).map(({ code, line }) => ({ code, line })),
      [
        { code: "loop-blocked", line: 7 },
        { code: "loop-blocked", line: 12 },
        { code: "slow-step", line: 17 },
      ],
    );
    assert.equal(
      findings[2].message.en,
      "2 steps of Task-2 (handle('a')) and Task-3 (handle('bb')) ran up to 0.15 s each without yielding from line 17 to line 20 (blocking calls at lines 7 and 12)",
    );
    assert.equal(findings[0].message.en, "line 7 blocked the event loop 2 times, 0.16 s in total (`time.sleep(0.08)`); meanwhile Task-3 (handle('bb')) woke 0.15 s late");
  });

  for (const clean of ["clean_gather_1000", "clean_pipeline", "clean_task_group", "clean_dependent_awaits", "clean_dependent_http", "clean_gather_two", "clean_exceptions_handled"]) {
    it(`a correct program has no findings: ${clean}`, () => {
      const trace = loadFindingsTrace(clean);
      assert.equal(trace.status, "ok");
      assert.deepEqual(summary(computeFindings(trace)), []);
    });
  }

  it("every finding carries both languages and the tutorial idea behind it", () => {
    for (const name of ["never_awaited", "loop_blocked", "exception_never_retrieved", "pending_at_shutdown", "deadlock_event", "missed_concurrency_http", "slow_step"]) {
      for (const finding of computeFindings(loadFindingsTrace(name))) {
        for (const lang of ["en", "zh-tw"] as const) {
          assert.ok(finding.message[lang].length > 20, `${name} ${finding.code} ${lang} message`);
          assert.ok(finding.explanation[lang].length > 60, `${name} ${finding.code} ${lang} explanation`);
          for (const related of finding.related) assert.ok(related.message[lang].length > 5, `${name} ${finding.code} ${lang} related`);
        }
        assert.ok(finding.events.length > 0, `${name} ${finding.code} points at events`);
      }
    }
  });
});
