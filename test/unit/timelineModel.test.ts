import * as assert from "node:assert/strict";
import {
  buildTimeline,
  fitWindow,
  formatTime,
  hitTest,
  niceTicks,
  orderTasks,
  panBy,
  spanLimits,
  taskLines,
  timeToX,
  visibleRange,
  wheelZoomFactor,
  xToTime,
  zoomAround,
  type HitBox,
  type Segment,
} from "../../src/core/trace/timelineModel";
import type { TaskInfo } from "../../src/core/trace/schema";
import { loadTrace } from "./traceFixtures";

describe("timeline model", () => {
  describe("the tutorial's gather example (A sleeps 3 s, B sleeps 2 s)", () => {
    const trace = loadTrace("gather_two_downloads");
    const m = buildTimeline(trace);

    it("has a loop lane, then main with fetch('A', 3) and fetch('B', 2) under it", () => {
      assert.deepEqual(
        m.lanes.map((l) => [l.title, l.subtitle, l.depth]),
        [
          ["event loop", `Python ${trace.pythonVersion}`, 0],
          ["main", "Task-1", 0],
          ["fetch('A', 3)", "Task-2", 1],
          ["fetch('B', 2)", "Task-3", 1],
        ],
      );
    });

    it("labels each wait with what was awaited and its span on the virtual clock", () => {
      const waits = (lane: number) => m.byLane[lane].segments.filter((s) => s.kind === "wait").map((s) => [s.label, s.t, s.tEnd]);
      assert.deepEqual(waits(1), [["gather(Task-2, Task-3)", 0, 3]]);
      assert.deepEqual(waits(2), [["sleep(3)", 0, 3]]);
      assert.deepEqual(waits(3), [["sleep(2)", 0, 2]]);
    });

    it("draws steps as ticks (no virtual time passes while a task runs)", () => {
      const steps = m.byLane[2].segments.filter((s) => s.kind === "step" || s.kind === "blocked-step");
      assert.equal(steps.length, 2);
      assert.ok(steps.every((s) => s.kind === "step" && s.t === s.tEnd));
    });

    it("shows the loop's idle periods as clock jumps 0→2 and 2→3", () => {
      assert.deepEqual(
        m.byLane[0].segments.filter((s) => s.kind === "idle").map((s) => [s.t, s.tEnd, s.label]),
        [
          [0, 2, "clock jumps 0 s → 2 s"],
          [2, 3, "clock jumps 2 s → 3 s"],
        ],
      );
    });

    it("totals 3 s of virtual time against 5 s of waits", () => {
      assert.equal(m.total, 3);
      assert.equal(m.sumOfWaits, 5);
    });

    it("ends each task with a marker carrying its result", () => {
      const ends = m.byLane.flatMap((l) => l.segments.filter((s) => s.kind === "end")).map((s) => [s.task, s.label, s.t]);
      assert.deepEqual(ends.sort(), [
        [1, "return None", 3],
        [2, "return 'A'", 3],
        [3, "return 'B'", 2],
      ]);
    });

    it("points each wait at the user line that awaited", () => {
      const wait = m.byLane[2].segments.find((s) => s.kind === "wait")!;
      assert.equal(wait.location?.line, 11); // `await asyncio.sleep(seconds)`
      assert.ok(wait.location?.file.endsWith("gather_two_downloads.py"));
    });

    it("indexes segments by event seq for selection and playback", () => {
      const step = trace.events.find((e) => e.kind === "step" && e.task === 2)!;
      const segs = m.bySeq.get(step.seq)!;
      assert.deepEqual(segs.map((s) => s.kind).sort(), ["step", "wait"]);
    });

    it("collects the lines a task ran, for highlighting", () => {
      assert.deepEqual(
        taskLines(trace, 2).map((l) => l.line),
        [9, 11],
      );
    });
  });

  it("draws a time.sleep inside a coroutine as a blocked span on the task and the loop", () => {
    const m = buildTimeline(loadTrace("blocking_sleep"));
    const slowLane = m.lanes.findIndex((l) => l.title === "slow_step");
    const blockedStep = m.byLane[slowLane].segments.find((s) => s.kind === "blocked-step")!;
    assert.deepEqual([blockedStep.t, blockedStep.tEnd], [0, 2]);
    const loopBlocked = m.byLane[0].segments.find((s) => s.kind === "blocked")!;
    assert.equal(loopBlocked.label, "time.sleep(2)");
    assert.equal(loopBlocked.location?.line, 18);
  });

  it("shows a synchronous program's time.sleep calls on the loop lane and sums them", () => {
    const m = buildTimeline(loadTrace("sync_downloads"));
    assert.equal(m.lanes.length, 1);
    assert.deepEqual(
      m.byLane[0].segments.map((s) => [s.kind, s.label, s.t, s.tEnd]),
      [
        ["blocked", "time.sleep(3)", 0, 3],
        ["blocked", "time.sleep(2)", 3, 5],
      ],
    );
    assert.equal(m.sumOfWaits, 5);
    assert.equal(m.total, 5);
  });

  it("marks waits that never ended (deadlock) as unfinished, up to the end of the run", () => {
    const trace = loadTrace("deadlock_queue");
    const m = buildTimeline(trace);
    const open = m.byLane.flatMap((l) => l.segments.filter((s) => s.kind === "wait" && s.unfinished));
    assert.equal(open.length, trace.deadlock!.waiters.length);
    assert.ok(open.every((s) => s.tEnd === m.total));
  });

  it("orders lanes by parent, then creation, even for deep and out-of-order trees", () => {
    const t = (id: number, parent: number | null, createdAt: number): TaskInfo => ({
      id,
      name: `Task-${id}`,
      coro: `c${id}()`,
      parent,
      createdAt,
      created: null,
      defined: null,
      end: { kind: "pending", location: null, awaiting: null },
    });
    const order = orderTasks([t(1, null, 0), t(2, 1, 1), t(3, 2, 2), t(4, 1, 0.5), t(5, null, 3), t(6, 99, 4)]);
    assert.deepEqual(
      order.map((o) => [o.task.id, o.depth]),
      [
        [1, 0],
        [4, 1],
        [2, 1],
        [3, 2],
        [5, 0],
        [6, 0],
      ],
    );
    const chain = Array.from({ length: 20000 }, (_, i) => t(i + 1, i === 0 ? null : i, i));
    assert.equal(orderTasks(chain).at(-1)!.depth, 19999);
  });

  describe("time axis", () => {
    const vp = { t0: 1, t1: 3, width: 400 };

    it("maps time to x and back", () => {
      assert.equal(timeToX(1, vp), 0);
      assert.equal(timeToX(2, vp), 200);
      assert.equal(timeToX(3, vp), 400);
      for (const x of [0, 17, 200, 399]) assert.ok(Math.abs(timeToX(xToTime(x, vp), vp) - x) < 1e-9);
    });

    it("fits the run with a margin, and a run of no virtual time to 1 s", () => {
      const w = fitWindow(3);
      assert.ok(w.t0 < 0 && w.t1 > 3 && w.t1 < 3.2);
      const z = fitWindow(0);
      assert.ok(z.t0 < 0 && z.t1 > 1 && z.t1 < 1.1);
    });

    it("zooms around an anchor, keeping it at the same x", () => {
      const win = { t0: 0, t1: 4 };
      const z = zoomAround(win, 1, 2, 4);
      assert.deepEqual(z, { t0: 0.5, t1: 2.5 });
      const x0 = timeToX(1, { ...win, width: 800 });
      assert.ok(Math.abs(timeToX(1, { ...z, width: 800 }) - x0) < 1e-9);
    });

    it("clamps zoom to sensible spans", () => {
      const { min, max } = spanLimits(3);
      let w = { t0: 0, t1: 3 };
      for (let i = 0; i < 200; i++) w = zoomAround(w, 1, 10, 3);
      assert.ok(Math.abs(w.t1 - w.t0 - min) < min * 1e-6);
      for (let i = 0; i < 200; i++) w = zoomAround(w, 1, 0.1, 3);
      assert.ok(Math.abs(w.t1 - w.t0 - max) < 1e-9);
    });

    it("pans but never loses the run entirely", () => {
      const w = panBy({ t0: 0, t1: 1 }, 100, 3);
      assert.ok(w.t0 < 3 && w.t1 - w.t0 === 1);
      const back = panBy({ t0: 0, t1: 1 }, -100, 3);
      assert.ok(back.t1 > 0);
    });

    it("turns a wheel notch into a 1.25× zoom", () => {
      assert.ok(Math.abs(wheelZoomFactor(-100) - 1.25) < 1e-12);
      assert.ok(Math.abs(wheelZoomFactor(100) - 0.8) < 1e-12);
    });

    it("puts ticks at 1-2-5 steps at least 80 px apart", () => {
      const { step, ticks } = niceTicks({ t0: 0, t1: 3, width: 800 });
      assert.equal(step, 0.5);
      assert.deepEqual(ticks, [0, 0.5, 1, 1.5, 2, 2.5, 3]);
      const fine = niceTicks({ t0: 0.1, t1: 0.1003, width: 600 });
      assert.ok(fine.ticks.length >= 3 && fine.ticks.every((t) => t >= 0.1 && t <= 0.1003));
    });

    it("formats times in s, ms and µs", () => {
      assert.equal(formatTime(3), "3 s");
      assert.equal(formatTime(2.5), "2.5 s");
      assert.equal(formatTime(0.25), "250 ms");
      assert.equal(formatTime(0.000012), "12 µs");
    });
  });

  describe("visible range", () => {
    const trace = loadTrace("blocking_sleep");
    const m = buildTimeline(trace);

    it("returns exactly the segments intersecting the window", () => {
      for (const lane of m.byLane) {
        for (const [t0, t1] of [
          [0, 0.1],
          [1, 2.2],
          [2.4, 2.6],
          [3.4, 10],
          [-5, -1],
        ]) {
          const [from, to] = visibleRange(lane, t0, t1);
          const got = lane.segments.slice(from, to).filter((s) => s.tEnd >= t0 && s.t <= t1);
          const want = lane.segments.filter((s) => s.tEnd >= t0 && s.t <= t1);
          assert.deepEqual(got, want);
        }
      }
    });
  });

  it("hit-tests the topmost box, with slack for thin ticks", () => {
    const seg = (seq: number) => ({ seq }) as Segment;
    const boxes: HitBox[] = [
      { x: 10, y: 0, w: 100, h: 20, segment: seg(1) },
      { x: 50, y: 0, w: 2, h: 20, segment: seg(2) },
    ];
    assert.equal(hitTest(boxes, 52, 10)?.segment.seq, 2);
    assert.equal(hitTest(boxes, 54, 10)?.segment.seq, 2); // within the slop
    assert.equal(hitTest(boxes, 80, 10)?.segment.seq, 1);
    assert.equal(hitTest(boxes, 80, 30), null);
  });
});
