/**
 * Export to the Trace Event Format (the JSON that Perfetto and chrome://tracing open). One thread
 * per task plus one for the event loop; steps, waits and blocked spans are complete ("X") events,
 * timers, output and warnings are instants ("i"). Timestamps are virtual microseconds, so the
 * picture shows the virtual clock; real cost travels in `args`.
 */
import type { Trace } from "./schema";

/** One Trace Event Format record (the subset this exporter writes). */
export interface ChromeTraceEvent {
  name: string;
  ph: "X" | "i" | "M";
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  cat?: string;
  /** Instant scope: "t" thread. */
  s?: "t" | "p" | "g";
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: "ms";
  otherData: Record<string, unknown>;
}

const PID = 1;
/** The loop's own thread; tasks use their trace ids (1, 2, ...), so 0 never collides. */
export const LOOP_TID = 0;

function micros(seconds: number): number {
  // Rounded to a nanosecond so float noise (0.30000000000000004) does not show in the viewer.
  return Math.round(seconds * 1e9) / 1e3;
}

export function toChromeTrace(trace: Trace): ChromeTrace {
  const events: ChromeTraceEvent[] = [];
  const programName = trace.file.split(/[\\/]/).pop() ?? trace.file;
  events.push({ name: "process_name", ph: "M", pid: PID, tid: LOOP_TID, ts: 0, args: { name: `${programName} (virtual clock)` } });
  events.push({ name: "thread_name", ph: "M", pid: PID, tid: LOOP_TID, ts: 0, args: { name: "event loop" } });
  events.push({ name: "thread_sort_index", ph: "M", pid: PID, tid: LOOP_TID, ts: 0, args: { sort_index: -1 } });
  for (const task of trace.tasks) {
    events.push({ name: "thread_name", ph: "M", pid: PID, tid: task.id, ts: 0, args: { name: `${task.name} · ${task.coro}` } });
    events.push({ name: "thread_sort_index", ph: "M", pid: PID, tid: task.id, ts: 0, args: { sort_index: task.id } });
  }

  const taskNames = new Map(trace.tasks.map((task) => [task.id, task.name]));
  const lastStepEnd = new Map<number, { tEnd: number; label: string; line: number | null; kind: string }>();
  for (const event of trace.events) {
    switch (event.kind) {
      case "step": {
        const waiting = lastStepEnd.get(event.task);
        if (waiting) {
          const args = { line: waiting.line, waitedSeconds: event.t - waiting.tEnd };
          events.push(complete(`await ${waiting.label}`, `wait,${waiting.kind}`, event.task, waiting.tEnd, event.t, args));
        }
        events.push(
          complete(event.resumed ? `step · line ${event.resumed.line}` : "step", "step", event.task, event.t, event.tEnd, {
            resumedLine: event.resumed?.line ?? null,
            suspendedLine: event.suspended?.line ?? null,
            awaiting: event.awaiting?.label ?? null,
            realMs: event.costMs,
          }),
        );
        if (event.awaiting) {
          lastStepEnd.set(event.task, { tEnd: event.tEnd, label: event.awaiting.label, line: event.suspended?.line ?? null, kind: event.awaiting.kind });
        } else {
          lastStepEnd.delete(event.task);
        }
        break;
      }
      case "blocked":
        events.push(
          complete(`blocked · ${event.call}`, "blocked", event.task ?? LOOP_TID, event.t, event.tEnd, {
            line: event.location?.line ?? null,
            call: event.call,
            blockedSeconds: event.tEnd - event.t,
          }),
        );
        break;
      case "idle":
        events.push(complete("idle", "idle", LOOP_TID, event.t, event.to, { jumpTo: event.to }));
        break;
      case "callback":
        events.push(complete(`callback · ${event.label}`, "callback", LOOP_TID, event.t, event.tEnd, { line: event.location?.line ?? null }));
        break;
      case "network":
        events.push(
          complete(`${event.method} ${event.url}`, "network", event.task ?? LOOP_TID, event.t, event.tEnd, {
            library: event.library,
            status: event.status,
            blocking: event.blocking,
          }),
        );
        break;
      case "timer-scheduled":
        events.push(instant(`timer ${event.label} scheduled for t=${event.when}`, "timer", event.task ?? LOOP_TID, event.t, { timer: event.timer, when: event.when }));
        break;
      case "timer-fired":
        events.push(instant(`timer ${event.label} fired`, "timer", event.task ?? LOOP_TID, event.t, { timer: event.timer }));
        break;
      case "task-created":
        events.push(instant(`created ${taskNames.get(event.task) ?? `task ${event.task}`}`, "task", event.task, event.t, {}));
        break;
      case "task-done":
        events.push(instant(`done · ${event.end.kind}`, "task", event.task, event.t, { end: event.end }));
        break;
      case "output":
        events.push(instant(`${event.stream}: ${event.text.replace(/\n$/, "")}`, "output", event.task ?? LOOP_TID, event.t, { text: event.text }));
        break;
      case "warning":
        events.push(instant(`${event.category}: ${event.message}`, "warning", event.createdBy ?? LOOP_TID, event.t, { line: event.location?.line ?? null }));
        break;
      case "log":
        events.push(instant(`${event.level} ${event.logger}: ${event.message.split("\n")[0]}`, "log", event.task ?? LOOP_TID, event.t, { message: event.message }));
        break;
    }
  }
  return {
    traceEvents: events,
    displayTimeUnit: "ms",
    otherData: {
      file: trace.file,
      engine: trace.engine,
      pythonVersion: trace.pythonVersion,
      status: trace.status,
      exitCode: trace.exitCode,
      virtualTimeSeconds: trace.virtualTime,
      wallMs: trace.wallMs,
      clock: "virtual (ts is virtual microseconds)",
    },
  };
}

/** A "complete" event: a span from `t` to `tEnd` (virtual seconds) on one thread. */
function complete(name: string, cat: string, tid: number, t: number, tEnd: number, args: Record<string, unknown>): ChromeTraceEvent {
  return { name, cat, ph: "X", pid: PID, tid, ts: micros(t), dur: micros(tEnd - t), args };
}

function instant(name: string, cat: string, tid: number, t: number, args: Record<string, unknown>): ChromeTraceEvent {
  return { name, cat, ph: "i", s: "t", pid: PID, tid, ts: micros(t), args };
}
