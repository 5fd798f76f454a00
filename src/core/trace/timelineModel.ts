/**
 * The timeline as data: lanes, segments and the time axis maths. The webview only turns these
 * numbers into pixels; everything here is pure and unit-tested (test/unit/timeline*.test.ts).
 */
import type { AwaitTarget, SourceLocation, TaskInfo, Trace } from "./schema";

export const LOOP_LANE_ID = "loop";

/** One row of the timeline: the event loop, or one task. */
export interface Lane {
  id: string;
  /** null for the event-loop lane. */
  task: number | null;
  /** What a learner recognises: `main`, `fetch('A', 3)`; "event loop" for the loop lane. */
  title: string;
  /** The task's name (`Task-2`) or, for the loop lane, the Python version. */
  subtitle: string;
  /** Nesting under the creating task (0 for roots and the loop). */
  depth: number;
  parent: number | null;
}

export type SegmentKind =
  | "step" // the task ran and the clock did not move: drawn as a tick
  | "blocked-step" // the task ran and virtual time moved: it blocked the loop (warning colour)
  | "wait" // the task was suspended, waiting on `awaiting`
  | "end" // the task finished (result / exception / cancelled): a marker
  | "idle" // loop lane: nothing ready, the clock jumped to the next timer
  | "blocked" // loop lane: something blocked the loop (time.sleep, blocking network call)
  | "callback"; // loop lane: a plain callback ran

export interface Segment {
  kind: SegmentKind;
  /** Index into `TimelineModel.lanes`. */
  lane: number;
  t: number;
  tEnd: number;
  /** Short text drawn on the bar: `sleep(3)`, `Task-3`, `time.sleep(3)`, `+2 s`. */
  label: string;
  /** The event that produced it (a wait carries the seq of the step that started waiting). */
  seq: number;
  task: number | null;
  /** The user line to reveal on click. */
  location: SourceLocation | null;
  awaiting?: AwaitTarget | null;
  /** True for a wait that never ended (the task was still pending when the run stopped). */
  unfinished?: boolean;
  /** For "end": how the task ended. */
  end?: "result" | "exception" | "cancelled";
}

export interface LaneSegments {
  /** Sorted by `t`, then by `seq`. */
  segments: Segment[];
  /** prefixMaxEnd[i] = max(tEnd of segments[0..i]); lets `visibleRange` skip what ended before the window. */
  prefixMaxEnd: number[];
}

export interface TimelineModel {
  lanes: Lane[];
  byLane: LaneSegments[];
  /** End of the run in virtual seconds (at least the last event's time). */
  total: number;
  /** Sum of the finished leaf waits (sleep, network, I/O) plus blocked spans: "5 s sequential vs 3 s concurrent". */
  sumOfWaits: number;
  /** Segments by event seq (steps, waits started by a step, loop items), for selection and playback. */
  bySeq: Map<number, Segment[]>;
}

/** `main()` -> `main`; anything with arguments stays as the tracer wrote it: `fetch('A', 3)`. */
export function taskTitle(task: Pick<TaskInfo, "coro" | "name">): string {
  const coro = task.coro || task.name;
  return coro.endsWith("()") ? coro.slice(0, -2) : coro;
}

/** Tasks ordered as lanes: each root in creation order, each task's children right under it. */
export function orderTasks(tasks: readonly TaskInfo[]): { task: TaskInfo; depth: number }[] {
  const ids = new Set(tasks.map((t) => t.id));
  const children = new Map<number | null, TaskInfo[]>();
  for (const t of tasks) {
    const parent = t.parent !== null && ids.has(t.parent) && t.parent !== t.id ? t.parent : null;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(t);
  }
  for (const list of children.values()) list.sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  const out: { task: TaskInfo; depth: number }[] = [];
  const seen = new Set<number>();
  // Iterative DFS: a 1000-deep chain of tasks must not overflow the stack.
  const stack: { task: TaskInfo; depth: number }[] = [...(children.get(null) ?? [])].reverse().map((task) => ({ task, depth: 0 }));
  while (stack.length) {
    const item = stack.pop()!;
    if (seen.has(item.task.id)) continue;
    seen.add(item.task.id);
    out.push(item);
    const kids = children.get(item.task.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ task: kids[i], depth: item.depth + 1 });
  }
  // Parent cycles (should not happen) still get a lane.
  for (const t of tasks) if (!seen.has(t.id)) out.push({ task: t, depth: 0 });
  return out;
}

/**
 * Waits on the world (timers, network, I/O). Waits on tasks, queues or locks only mirror some
 * other task's wait, so summing them would count time twice. Same rule as the CLI's footer.
 */
export const LEAF_WAITS: ReadonlySet<AwaitTarget["kind"]> = new Set(["sleep", "network", "io"]);

/** Builds lanes and segments from a trace. Linear in the number of events (plus sorting). */
export function buildTimeline(trace: Trace): TimelineModel {
  const lanes: Lane[] = [
    { id: LOOP_LANE_ID, task: null, title: "event loop", subtitle: trace.pythonVersion ? `Python ${trace.pythonVersion}` : trace.engine, depth: 0, parent: null },
  ];
  const laneOfTask = new Map<number, number>();
  for (const { task, depth } of orderTasks(trace.tasks)) {
    laneOfTask.set(task.id, lanes.length);
    lanes.push({ id: `task-${task.id}`, task: task.id, title: taskTitle(task), subtitle: task.name, depth, parent: task.parent });
  }
  const lists: Segment[][] = lanes.map(() => []);
  let total = trace.virtualTime;
  for (const e of trace.events) {
    total = Math.max(total, e.t, "tEnd" in e ? e.tEnd : e.t, e.kind === "idle" ? e.to : e.t);
  }

  let sumOfWaits = 0;
  // The last step of each task: its tEnd starts a wait that the next step (or the end) closes.
  const openWait = new Map<number, { seq: number; t: number; awaiting: AwaitTarget; location: SourceLocation | null }>();
  const closeWait = (task: number, tEnd: number, unfinished: boolean) => {
    const w = openWait.get(task);
    const lane = laneOfTask.get(task);
    if (!w || lane === undefined) return;
    openWait.delete(task);
    lists[lane].push({ kind: "wait", lane, t: w.t, tEnd: Math.max(w.t, tEnd), label: w.awaiting.label, seq: w.seq, task, location: w.location, awaiting: w.awaiting, unfinished });
    if (!unfinished && LEAF_WAITS.has(w.awaiting.kind)) sumOfWaits += Math.max(0, tEnd - w.t);
  };

  for (const e of trace.events) {
    switch (e.kind) {
      case "step": {
        const lane = laneOfTask.get(e.task);
        if (lane === undefined) break;
        closeWait(e.task, e.t, false);
        const blocked = e.tEnd > e.t;
        const label = blocked ? `blocked ${formatDuration(e.tEnd - e.t)}` : e.awaiting ? `→ ${e.awaiting.label}` : "";
        lists[lane].push({ kind: blocked ? "blocked-step" : "step", lane, t: e.t, tEnd: e.tEnd, label, seq: e.seq, task: e.task, location: e.suspended ?? e.resumed, awaiting: e.awaiting });
        if (e.awaiting) openWait.set(e.task, { seq: e.seq, t: e.tEnd, awaiting: e.awaiting, location: e.suspended ?? e.awaiting.location ?? null });
        break;
      }
      case "task-done": {
        const lane = laneOfTask.get(e.task);
        if (lane === undefined || e.end.kind === "pending") break;
        closeWait(e.task, e.t, false);
        const info = trace.tasks.find((t) => t.id === e.task);
        const label = e.end.kind === "result" ? `return ${e.end.repr}` : e.end.kind === "exception" ? `raised ${e.end.type}` : "cancelled";
        const location = e.end.kind === "result" ? null : e.end.location;
        lists[lane].push({ kind: "end", lane, t: e.t, tEnd: e.t, label, seq: e.seq, task: e.task, location: location ?? info?.defined ?? null, end: e.end.kind });
        break;
      }
      case "idle":
        lists[0].push({ kind: "idle", lane: 0, t: e.t, tEnd: e.to, label: `clock jumps ${formatTime(e.t)} → ${formatTime(e.to)}`, seq: e.seq, task: null, location: null });
        break;
      case "blocked":
        lists[0].push({ kind: "blocked", lane: 0, t: e.t, tEnd: e.tEnd, label: e.call, seq: e.seq, task: e.task, location: e.location });
        sumOfWaits += Math.max(0, e.tEnd - e.t);
        break;
      case "callback":
        lists[0].push({ kind: "callback", lane: 0, t: e.t, tEnd: e.tEnd, label: e.label, seq: e.seq, task: null, location: e.location });
        break;
      default:
        break;
    }
  }
  // Whatever still waits when the run ended (deadlock, budget, pending at shutdown) waits to the end.
  for (const task of [...openWait.keys()]) closeWait(task, total, true);

  const byLane: LaneSegments[] = lists.map((segments) => {
    segments.sort((a, b) => a.t - b.t || a.seq - b.seq);
    const prefixMaxEnd = new Array<number>(segments.length);
    let m = -Infinity;
    for (let i = 0; i < segments.length; i++) prefixMaxEnd[i] = m = Math.max(m, segments[i].tEnd);
    return { segments, prefixMaxEnd };
  });
  const bySeq = new Map<number, Segment[]>();
  for (const { segments } of byLane) {
    for (const s of segments) {
      const list = bySeq.get(s.seq);
      if (list) list.push(s);
      else bySeq.set(s.seq, [s]);
    }
  }
  return { lanes, byLane, total, sumOfWaits, bySeq };
}

/**
 * Indices [from, to) of the segments that intersect [t0, t1]: binary searches on the sorted
 * starts and the running maximum of the ends, so a frame costs O(log n + visible).
 */
export function visibleRange(lane: LaneSegments, t0: number, t1: number): [number, number] {
  const { segments, prefixMaxEnd } = lane;
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (prefixMaxEnd[mid] < t0) lo = mid + 1;
    else hi = mid;
  }
  const from = lo;
  hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].t <= t1) lo = mid + 1;
    else hi = mid;
  }
  return [from, lo];
}

// ---------------------------------------------------------------- time axis

export interface TimeWindow {
  t0: number;
  t1: number;
}

/** The plot's horizontal extent: `width` pixels show the window [t0, t1]. */
export interface Viewport extends TimeWindow {
  width: number;
}

export function timeToX(t: number, vp: Viewport): number {
  return ((t - vp.t0) / (vp.t1 - vp.t0)) * vp.width;
}

export function xToTime(x: number, vp: Viewport): number {
  return vp.t0 + (x / vp.width) * (vp.t1 - vp.t0);
}

/** Smallest and largest window spans allowed when zooming, for a run of `total` seconds. */
export function spanLimits(total: number): { min: number; max: number } {
  const base = Math.max(total, 1e-3);
  return { min: Math.max(base * 1e-6, 1e-9), max: base * 20 };
}

/** The window that shows the whole run with a little margin. A run that took no virtual time shows 1 s. */
export function fitWindow(total: number): TimeWindow {
  const span = total > 0 ? total : 1;
  const pad = span * 0.03;
  return { t0: -pad, t1: span + pad };
}

/** Zooms by `factor` (> 1 zooms in) keeping `anchor` (a time) at the same screen position. */
export function zoomAround(win: TimeWindow, anchor: number, factor: number, total: number): TimeWindow {
  const { min, max } = spanLimits(total);
  const span = win.t1 - win.t0;
  const next = Math.min(max, Math.max(min, span / factor));
  const k = span > 0 ? (anchor - win.t0) / span : 0.5;
  const t0 = anchor - k * next;
  return { t0, t1: t0 + next };
}

/** Moves the window by `dt` seconds, stopping at a margin beyond the run on either side. */
export function panBy(win: TimeWindow, dt: number, total: number): TimeWindow {
  const span = win.t1 - win.t0;
  const lo = -span * 0.9;
  const hi = Math.max(total, 0) + span * 0.9 - span;
  const t0 = Math.min(Math.max(win.t0 + dt, lo), Math.max(lo, hi));
  return { t0, t1: t0 + span };
}

/** Wheel delta (pixels) to a zoom factor: one notch (~100 px) zooms by 1.25. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.pow(1.25, -deltaY / 100);
}

/** Axis ticks at 1, 2 or 5 × 10^k seconds, at least `minPx` pixels apart. */
export function niceTicks(vp: Viewport, minPx = 80): { step: number; ticks: number[] } {
  const span = vp.t1 - vp.t0;
  if (!(span > 0) || !(vp.width > 0)) return { step: 1, ticks: [] };
  const raw = (span * minPx) / vp.width;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = pow;
  for (const m of [1, 2, 5, 10]) {
    step = m * pow;
    if (step >= raw) break;
  }
  const ticks: number[] = [];
  const first = Math.ceil(vp.t0 / step);
  for (let i = first; i * step <= vp.t1 + step * 1e-9; i++) ticks.push(roundTo(i * step, step));
  return { step, ticks };
}

function roundTo(t: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(t.toFixed(Math.min(digits, 12)));
}

/** "3 s", "2.5 s", "250 ms", "12 µs": for axis labels and tooltips. */
export function formatTime(t: number): string {
  const a = Math.abs(t);
  if (a === 0) return "0 s";
  if (a >= 1) return `${trimNumber(t, 3)} s`;
  if (a >= 1e-3) return `${trimNumber(t * 1e3, 3)} ms`;
  return `${trimNumber(t * 1e6, 3)} µs`;
}

/** Durations read the same way as times. */
export function formatDuration(d: number): string {
  return formatTime(d);
}

/** The fixed-precision form the summary uses: "3.0 s". */
export function formatSeconds(t: number): string {
  return `${t.toFixed(t !== 0 && Math.abs(t) < 0.1 ? 3 : 1)} s`;
}

function trimNumber(x: number, maxDecimals: number): string {
  return String(Number(x.toFixed(maxDecimals)));
}

// ---------------------------------------------------------------- hit testing

/** A drawn item's box in plot coordinates, as the renderer placed it. */
export interface HitBox {
  x: number;
  y: number;
  w: number;
  h: number;
  segment: Segment;
}

/** Ticks and markers are thin; they get this many pixels of slack on each side. */
export const HIT_SLOP_PX = 3;

/** The topmost box under (x, y): later (drawn on top) boxes win; thin items use the slop. */
export function hitTest(boxes: readonly HitBox[], x: number, y: number): HitBox | null {
  for (let i = boxes.length - 1; i >= 0; i--) {
    const b = boxes[i];
    const slop = b.w < 2 * HIT_SLOP_PX ? HIT_SLOP_PX : 0;
    if (x >= b.x - slop && x <= b.x + b.w + slop && y >= b.y && y <= b.y + b.h) return b;
  }
  return null;
}

/** Lines a task ran at (resume and suspend points), for "selecting a task highlights its lines". */
export function taskLines(trace: Trace, task: number): SourceLocation[] {
  const seen = new Set<string>();
  const out: SourceLocation[] = [];
  const add = (l: SourceLocation | null | undefined) => {
    if (!l) return;
    const key = `${l.file}:${l.line}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(l);
  };
  for (const e of trace.events) {
    if (e.kind === "step" && e.task === task) {
      add(e.resumed);
      add(e.suspended);
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}
