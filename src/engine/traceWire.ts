/**
 * The tracer's JSON as it leaves Python, turned into a `Trace` (src/core/trace/schema.ts).
 *
 * The tracer writes its busiest events (task steps, timers, task creation and end, idle jumps)
 * as positional arrays, `[kind, seq, t, realClock, ...fields]`, because building and serialising
 * a dict per event costs more than the step it records (recorder.py, emit_step). The real clock
 * is a raw `perf_counter()` reading; `wallMs` and a step's `costMs` are computed here with the
 * tracer's own arithmetic, so a trace reads exactly as if Python had written the objects. Every
 * other event already arrives as an object. Both engines parse through here.
 */
import type { Trace, TraceEvent } from "../core/trace/schema";

/** Field names after `[kind, seq, t, realClock]`, per compact kind, in the tracer's order. */
export const WIRE_FIELDS = {
  step: ["task", "tEnd", "resumed", "suspended", "taskLine", "awaiting", "startClock"],
  "timer-scheduled": ["timer", "when", "task", "label"],
  "timer-fired": ["timer", "task", "label"],
  "task-created": ["task"],
  "task-done": ["task", "end"],
  idle: ["to"],
} as const;

type WireKind = keyof typeof WIRE_FIELDS;

interface WireHeader {
  format: number;
  /** perf_counter() at the program's start: wallMs counts from here. */
  wallStart: number;
}

/** Python's `int((w - start) * 1_000_000) / 1000`: milliseconds, truncated to the microsecond. */
const wallMsOf = (clock: number, start: number): number => Math.trunc((clock - start) * 1_000_000) / 1000;

function expand(raw: unknown[], header: WireHeader): TraceEvent {
  const kind = raw[0] as WireKind;
  const names = WIRE_FIELDS[kind];
  if (!names) throw new Error(`unknown compact event kind ${JSON.stringify(raw[0])}`);
  const clock = raw[3] as number;
  const event: Record<string, unknown> = { kind, seq: raw[1], t: raw[2], wallMs: wallMsOf(clock, header.wallStart) };
  names.forEach((name, index) => {
    event[name] = raw[4 + index];
  });
  if (kind === "step") {
    // Python's `int((end - start) * 10_000_000) / 10_000`: 0.1 µs resolution.
    event.costMs = Math.trunc((clock - (event.startClock as number)) * 10_000_000) / 10_000;
    delete event.startClock;
  }
  return event as unknown as TraceEvent;
}

/** Parses the tracer's JSON text; throws (as JSON.parse does) when it is not a trace. */
export function parseTraceJson(text: string): Trace {
  const raw = JSON.parse(text) as Trace & { wire?: WireHeader; events: unknown[] };
  const header = raw.wire;
  if (header === undefined) return raw;
  if (header.format !== 1) throw new Error(`trace wire format ${String(header.format)} is not supported`);
  delete raw.wire;
  const events = raw.events;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (Array.isArray(event)) events[i] = expand(event, header);
  }
  return raw;
}
