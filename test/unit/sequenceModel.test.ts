import * as assert from "node:assert/strict";
import { awaitText, buildSequence, circledNumber, stepDecorationText } from "../../src/core/trace/sequenceModel";
import { findRunSites } from "../../src/core/trace/runSites";
import { loadTrace } from "./traceFixtures";

describe("sequence model", () => {
  describe("the tutorial's gather example reproduces steps ①–⑪", () => {
    const trace = loadTrace("gather_two_downloads");
    const seq = buildSequence(trace);
    const numbered = seq.steps.map((i) => seq.entries[i]);

    it("has eleven numbered steps in the tutorial's order", () => {
      assert.deepEqual(
        numbered.map((e) => [circledNumber(e.number!), e.direction, e.label]),
        [
          ["①", "toLoop", "asyncio.run(main())"],
          ["②", "toTask", "run Task-1 main"],
          ["③", "toLoop", "await asyncio.gather(Task-2, Task-3) → back to the loop"],
          ["④", "toTask", "run Task-2 fetch('A', 3)"],
          ["⑤", "toLoop", "await asyncio.sleep(3) → back to the loop"],
          ["⑥", "toTask", "run Task-3 fetch('B', 2)"],
          ["⑦", "toLoop", "await asyncio.sleep(2) → back to the loop"],
          ["⑧", "toTask", "timer fired: wake Task-3"],
          ["⑨", "toTask", "timer fired: wake Task-2"],
          ["⑩", "toTask", "gather done: wake Task-1"],
          ["⑪", "none", "asyncio.run(main()) returns; loop closed"],
        ],
      );
    });

    it("says that gather wrapped both coroutines as tasks before main gave control back (③)", () => {
      assert.equal(numbered[2].detail, "waits on gather(Task-2, Task-3); Task-2, Task-3 created and queued to run");
    });

    it("says what each woken task does until it returns", () => {
      assert.equal(numbered[7].detail, "continues after await asyncio.sleep(2) → return 'B'");
      assert.equal(numbered[8].detail, "continues after await asyncio.sleep(3) → return 'A'");
      assert.equal(numbered[9].detail, "continues after await asyncio.gather(Task-2, Task-3) → return None");
    });

    it("notes that the loop idles while all tasks wait (between ⑦ and ⑧)", () => {
      const i7 = seq.steps[6];
      const i8 = seq.steps[7];
      const between = seq.entries.slice(i7 + 1, i8);
      assert.deepEqual(
        between.map((e) => [e.kind, e.label]),
        [["idle", "all tasks waiting: loop idle, clock jumps 0 s → 2 s"]],
      );
    });

    it("puts the virtual time on each step and the program's output on the step that printed it", () => {
      assert.deepEqual(
        numbered.map((e) => e.t),
        [0, 0, 0, 0, 0, 0, 0, 2, 3, 3, 3],
      );
      assert.deepEqual(numbered[3].output, ["A: started"]);
      assert.deepEqual(numbered[7].output, ["B: finished"]);
      assert.deepEqual(numbered[9].output, ["['A', 'B']"]);
      assert.deepEqual(numbered[10].output, ["elapsed 3.0 s"]);
    });

    it("links steps to source lines (run → where it resumed, await → where it suspended)", () => {
      assert.equal(numbered[0].location?.line, 22); // asyncio.run(main())
      assert.equal(numbered[2].location?.line, 17); // await asyncio.gather(...)
      assert.equal(numbered[4].location?.line, 11); // await asyncio.sleep(seconds)
    });

    it("writes the editor decoration for a playback step", () => {
      assert.equal(stepDecorationText(numbered[4], trace), "Task-2 · await asyncio.sleep(3) · t=0.0 s");
      assert.equal(stepDecorationText(numbered[7], trace), "Task-3 · timer fired: wake Task-3 · t=2.0 s");
    });
  });

  it("notes a time.sleep that blocks the loop right after the step that called it", () => {
    const seq = buildSequence(loadTrace("blocking_sleep"));
    const i = seq.entries.findIndex((e) => e.kind === "blocked");
    assert.ok(i > 0);
    assert.equal(seq.entries[i].label, "time.sleep(2) blocks the loop for 2 s");
    assert.ok(seq.entries[i].warning);
    const run = seq.entries[i - 1];
    assert.equal(run.label, "run Task-3 slow_step");
    assert.equal(run.detail, "running; blocks the loop for 2 s → return None");
    assert.ok(run.warning);
  });

  it("ends a deadlocked run with a deadlock step", () => {
    const seq = buildSequence(loadTrace("deadlock_queue"));
    const last = seq.entries.at(-1)!;
    assert.equal(last.kind, "end");
    assert.equal(last.label, "deadlock: nothing ready and no timer pending");
    assert.ok(last.warning);
  });

  it("shows a synchronous program as blocking notes and one end step", () => {
    const seq = buildSequence(loadTrace("sync_downloads"));
    assert.deepEqual(
      seq.entries.map((e) => [e.kind, e.number, e.label]),
      [
        ["blocked", null, "time.sleep(3) blocks the loop for 3 s"],
        ["blocked", null, "time.sleep(2) blocks the loop for 2 s"],
        ["end", 1, "program ends"],
      ],
    );
  });

  it("numbers every step of a bigger run, wakes by what was awaited", () => {
    const trace = loadTrace("producer_consumer");
    const seq = buildSequence(trace);
    assert.deepEqual(
      seq.steps.map((i) => seq.entries[i].number),
      seq.steps.map((_, k) => k + 1),
    );
    const stepEvents = trace.events.filter((e) => e.kind === "step").length;
    const runs = seq.entries.filter((e) => e.kind === "run").length;
    assert.equal(runs, stepEvents);
    assert.ok(seq.entries.some((e) => e.kind === "run" && /Queue\.(get|put).* ready: wake|done: wake|timer fired: wake/.test(e.label)));
  });

  it("writes circled numbers like the tutorial, then (n)", () => {
    assert.equal(circledNumber(1), "①");
    assert.equal(circledNumber(11), "⑪");
    assert.equal(circledNumber(20), "⑳");
    assert.equal(circledNumber(21), "㉑");
    assert.equal(circledNumber(36), "㊱");
    assert.equal(circledNumber(50), "㊿");
    assert.equal(circledNumber(51), "(51)");
  });

  it("writes awaits as the user wrote them", () => {
    assert.equal(awaitText({ kind: "sleep", label: "sleep(3)" }), "asyncio.sleep(3)");
    assert.equal(awaitText({ kind: "sleep", label: "sleep(0.5)" }), "asyncio.sleep(0.5)");
    assert.equal(awaitText({ kind: "wait", label: "asyncio.wait_for(…)" }), "asyncio.wait_for(…)");
    assert.equal(awaitText({ kind: "queue", label: "Queue.get" }), "Queue.get");
    assert.equal(awaitText({ kind: "task", label: "Task-3" }), "Task-3");
  });
});

describe("asyncio.run call sites (CodeLens)", () => {
  it("finds asyncio.run( lines and skips comments, strings and lookalikes", () => {
    const text = [
      "import asyncio",
      "# asyncio.run(main())  <- a comment",
      "s = 'asyncio.run(x)'",
      '"""',
      "asyncio.run(doc())",
      '"""',
      "myasyncio.run(x)",
      "if __name__ == '__main__':",
      "    asyncio.run(main())",
      "asyncio.run  (other())",
    ].join("\n");
    assert.deepEqual(findRunSites(text), [
      { line: 8, column: 4 },
      { line: 9, column: 0 },
    ]);
  });
});

describe("sequence model in Traditional Chinese (the tutorial's wording)", () => {
  it("writes the gather example's ①–⑪ like the tutorial's 時序圖", () => {
    const trace = loadTrace("gather_two_downloads");
    const seq = buildSequence(trace, "zh-tw");
    const numbered = seq.steps.map((i) => seq.entries[i]);
    assert.deepEqual(
      numbered.map((e) => e.label),
      [
        "asyncio.run(main())",
        "從待辦挑 Task-1 main 執行",
        "await asyncio.gather(Task-2, Task-3),把控制權交回事件迴圈",
        "從待辦挑 Task-2 fetch('A', 3) 執行",
        "await asyncio.sleep(3),把控制權交回事件迴圈",
        "從待辦挑 Task-3 fetch('B', 2) 執行",
        "await asyncio.sleep(2),把控制權交回事件迴圈",
        "計時器到期,喚醒 Task-3",
        "計時器到期,喚醒 Task-2",
        "gather 完成,喚醒 Task-1",
        "asyncio.run(main()) 結束事件迴圈",
      ],
    );
    assert.equal(numbered[0].detail, "建立新事件迴圈,main 包成 Task-1 加進待辦");
    assert.equal(numbered[2].detail, "等待 gather(Task-2, Task-3); Task-2、Task-3 包成 Task 加入待辦");
    assert.equal(numbered[7].detail, "從 await asyncio.sleep(2) 後繼續 → return 'B'");
    assert.equal(stepDecorationText(numbered[4], trace, "zh-tw"), "Task-2 · await asyncio.sleep(3) · t=0.0 s");
    const idle = seq.entries.find((e) => e.kind === "idle")!;
    assert.equal(idle.label, "所有任務都在等:事件迴圈閒置,時鐘從 0 s 跳到 2 s");
  });
});
