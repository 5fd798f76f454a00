import type {
  BlockedEvent,
  SourceLocation,
  TaskDoneEvent,
  TaskInfo,
  TaskStepEvent,
  TimerFiredEvent,
  TimerScheduledEvent,
  Trace,
} from "../trace/schema";

/** Virtual times are sums of floats; anything closer than this is the same instant. */
export const TIME_EPSILON = 1e-9;

/** Indexed views of a trace that several finding rules need. Built once per trace. */
export interface TraceFacts {
  trace: Trace;
  tasksById: Map<number, TaskInfo>;
  /** Each task's steps in order. */
  stepsByTask: Map<number, TaskStepEvent[]>;
  steps: TaskStepEvent[];
  blocked: BlockedEvent[];
  timersScheduled: Map<number, TimerScheduledEvent>;
  timersFired: Map<number, TimerFiredEvent>;
  doneByTask: Map<number, TaskDoneEvent>;
}

export function indexTrace(trace: Trace): TraceFacts {
  const tasksById = new Map(trace.tasks.map((task) => [task.id, task]));
  const stepsByTask = new Map<number, TaskStepEvent[]>();
  const steps: TaskStepEvent[] = [];
  const blocked: BlockedEvent[] = [];
  const timersScheduled = new Map<number, TimerScheduledEvent>();
  const timersFired = new Map<number, TimerFiredEvent>();
  const doneByTask = new Map<number, TaskDoneEvent>();
  for (const event of trace.events) {
    switch (event.kind) {
      case "step": {
        steps.push(event);
        let list = stepsByTask.get(event.task);
        if (!list) stepsByTask.set(event.task, (list = []));
        list.push(event);
        break;
      }
      case "blocked":
        blocked.push(event);
        break;
      case "timer-scheduled":
        timersScheduled.set(event.timer, event);
        break;
      case "timer-fired":
        timersFired.set(event.timer, event);
        break;
      case "task-done":
        doneByTask.set(event.task, event);
        break;
    }
  }
  return { trace, tasksById, stepsByTask, steps, blocked, timersScheduled, timersFired, doneByTask };
}

/** "Task-2 (fetch('A'))": how every message names a task. */
export function describeTask(task: TaskInfo | undefined, id?: number): string {
  if (!task) return `task #${id ?? "?"}`;
  return task.coro ? `${task.name} (${readableCoro(task.coro)})` : task.name;
}

/**
 * Object reprs in a coroutine call, cut short by the tracer, read as noise in a sentence:
 * `consumer(<asyncio.locks.Event object a…)` → `consumer(<Event>)`, `use(<Task pending name='Task-2' c…)` → `use(<Task-2>)`.
 */
export function readableCoro(coro: string): string {
  return coro
    .replace(/<Task (?:\w+ )?name='([^']+)'[^,)]*/g, "<$1>")
    .replace(/<(?:\w+\.)*(\w+)(?: object| at 0x)[^,)]*/g, "<$1>");
}

/** The coroutine function's short name: `fetch('A', 3)` → `fetch`, `Worker.run()` → `Worker.run`. */
export function coroName(coro: string): string {
  const paren = coro.indexOf("(");
  return paren >= 0 ? coro.slice(0, paren) : coro;
}

/**
 * Seconds as people read them: "3.0 s", "0.15 s", "5 ms". One decimal from a second up (a
 * timeline reads in seconds), two below, milliseconds under a hundredth.
 */
export function formatSeconds(seconds: number): string {
  const s = Math.abs(seconds) < TIME_EPSILON ? 0 : seconds;
  if (s === 0) return "0 s";
  if (Math.abs(s) < 0.01) return `${Number((s * 1000).toPrecision(3))} ms`;
  if (Math.abs(s) < 0.995) return `${s.toFixed(2)} s`; // 0.999 reads "1.0 s", not "1.00 s"
  return `${s.toFixed(1)} s`;
}

export function sameLocation(a: SourceLocation | null | undefined, b: SourceLocation | null | undefined): boolean {
  return !!a && !!b && a.file === b.file && a.line === b.line;
}

export function locationKey(location: SourceLocation | null | undefined): string {
  return location ? `${location.file}:${location.line}` : "?";
}

/** From the first task step to the last: blocking outside it is plain synchronous code, not a blocked loop. */
export function loopSpan(facts: TraceFacts): { t: number; tEnd: number } | null {
  if (facts.steps.length === 0) return null;
  let t = Infinity;
  let tEnd = -Infinity;
  for (const step of facts.steps) {
    t = Math.min(t, step.t);
    tEnd = Math.max(tEnd, step.tEnd);
  }
  return { t, tEnd };
}
