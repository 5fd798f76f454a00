/**
 * The tracer's JSON as it leaves Python, turned into a `Trace` (src/core/trace/schema.ts).
 *
 * The tracer writes its busiest events (task steps, timers, task creation and end, idle jumps)
 * as positional arrays, `[kind, t, realClock, ...fields]`, because building and serialising a
 * dict per event costs more than the step it records (recorder.py, Recorder.record). The real
 * clock is a raw `perf_counter()` reading; `wallMs` and a step's `costMs` are computed here with
 * the tracer's own arithmetic, so a trace reads exactly as if Python had written the objects.
 * A task's last step and its end travel as one "done" array and become a step then a task-done.
 * Every other event arrives as an object. Events are numbered (`seq`) here, once expanded.
 * Both engines parse through here.
 */
import type { Trace, TraceEvent } from "../core/trace/schema";

/** Field names after `[kind, t, realClock]`, per compact kind, in the tracer's order. */
export const WIRE_FIELDS = {
  step: ["task", "tEnd", "resumed", "suspended", "taskLine", "awaiting", "startClock"],
  done: ["task", "tEnd", "resumed", "startClock", "end"],
  "timer-scheduled": ["timer", "when", "task", "label"],
  "timer-fired": ["timer", "task", "label"],
  "task-created": ["task"],
  idle: ["to"],
} as const;

/** The wire format this module reads; recorder.py's to_json() writes the same number. */
export const WIRE_FORMAT = 2;

type WireKind = keyof typeof WIRE_FIELDS;

interface WireHeader {
  format: number;
  /** perf_counter() at the program's start: wallMs counts from here. */
  wallStart: number;
}

/** Python's `int((w - start) * 1_000_000) / 1000`: milliseconds, truncated to the microsecond. */
const wallMsOf = (clock: number, start: number): number => Math.trunc((clock - start) * 1_000_000) / 1000;

/** Python's `int((end - start) * 10_000_000) / 10_000`: a step's cost, 0.1 µs resolution. */
const costMsOf = (end: number, start: number): number => Math.trunc((end - start) * 10_000_000) / 10_000;

/** Appends the event(s) one compact array stands for. */
function expandInto(out: Record<string, unknown>[], raw: unknown[], header: WireHeader): void {
  const kind = raw[0] as WireKind;
  const names = WIRE_FIELDS[kind];
  if (!names) throw new Error(`unknown compact event kind ${JSON.stringify(raw[0])}`);
  const clock = raw[2] as number;
  const wallMs = wallMsOf(clock, header.wallStart);
  const fields: Record<string, unknown> = {};
  names.forEach((name, index) => {
    fields[name] = raw[3 + index];
  });
  const t = raw[1];
  if (kind === "step" || kind === "done") {
    const { startClock, end, ...stepFields } = fields;
    const step: Record<string, unknown> = { kind: "step", seq: 0, t, wallMs, ...stepFields };
    if (kind === "done") Object.assign(step, { suspended: null, taskLine: null, awaiting: null });
    step.costMs = costMsOf(clock, startClock as number);
    out.push(step);
    if (kind === "done") out.push({ kind: "task-done", seq: 0, t: fields.tEnd, wallMs, task: fields.task, end });
    return;
  }
  out.push({ kind, seq: 0, t, wallMs, ...fields });
}

/** Parses the tracer's JSON text; throws (as JSON.parse does) when it is not a trace. */
export function parseTraceJson(text: string): Trace {
  const raw = JSON.parse(text) as Trace & { wire?: WireHeader; events: unknown[] };
  const header = raw.wire;
  if (header === undefined) return raw;
  if (header.format !== WIRE_FORMAT) throw new Error(`trace wire format ${String(header.format)} is not supported`);
  delete raw.wire;
  const events: Record<string, unknown>[] = [];
  for (const event of raw.events) {
    if (Array.isArray(event)) expandInto(events, event, header);
    else events.push({ kind: (event as { kind: unknown }).kind, seq: 0, ...(event as object) });
  }
  events.forEach((event, index) => {
    event.seq = index;
  });
  raw.events = events as unknown as TraceEvent[];
  return raw;
}
