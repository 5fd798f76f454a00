/**
 * The CLI's `trace` output: a header, one lane per task (each step, what it waited on and for how
 * long, blocked spans, output), the loop's own lane, a footer comparing total virtual time with
 * the sum of waits, and the findings. Plain text; ANSI colour only when asked.
 */
import { formatSeconds, readableCoro } from "../findings/traceFacts";
import type { Finding } from "../findings/types";
import type { AwaitTarget, IdleJumpEvent, SourceLocation, TaskInfo, TaskStepEvent, Trace, TraceEvent } from "./schema";

export interface TextTimelineOptions {
  /** ANSI colours (the CLI turns them on for a TTY). */
  color?: boolean;
  /** Rows longer than this are cut with "…" (default: no limit). */
  width?: number;
  /** Lanes shown in full; further tasks are summarised in one line each group (default 40). */
  maxLanes?: number;
}

/** Time-only waits: the program waited for the world, not for another task. */
const LEAF_WAITS = new Set<AwaitTarget["kind"]>(["sleep", "network", "io"]);

export interface WaitTotals {
  /** Virtual seconds tasks spent awaiting sleeps (as requested), network and I/O. */
  leafWaits: number;
  /** Virtual seconds the loop was blocked by synchronous calls. */
  blocked: number;
}

/** The footer's numbers: how much waiting the run did, so concurrency shows as total < sum. */
export function waitTotals(trace: Trace): WaitTotals {
  let leafWaits = 0;
  let blocked = 0;
  const lastStep = new Map<number, TaskStepEvent>();
  for (const event of trace.events) {
    if (event.kind === "step") {
      const previous = lastStep.get(event.task);
      if (previous?.awaiting && LEAF_WAITS.has(previous.awaiting.kind)) {
        // A sleep that woke late (the loop was blocked) counts as what it asked for; the rest is lateness.
        const waited = event.t - previous.tEnd;
        const asked = previous.awaiting.kind === "sleep" ? previous.awaiting.delay : undefined;
        leafWaits += asked !== undefined && asked !== null ? Math.min(waited, asked) : waited;
      }
      lastStep.set(event.task, event);
    } else if (event.kind === "blocked") {
      blocked += event.tEnd - event.t;
    }
  }
  return { leafWaits, blocked };
}

const ANSI = {
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  blue: "\x1b[34m",
  magenta: "\x1b[35m",
  cyan: "\x1b[36m",
  reset: "\x1b[0m",
} as const;

type Paint = (style: keyof typeof ANSI, text: string) => string;

export function renderTextTimeline(trace: Trace, findings: Finding[], opts: TextTimelineOptions = {}): string {
  const paint: Paint = opts.color ? (style, text) => `${ANSI[style]}${text}${ANSI.reset}` : (_style, text) => text;
  const out: string[] = [];
  const where = (location: SourceLocation | null | undefined) => lineRef(location, trace.file);

  out.push(...header(trace, paint));
  out.push("");

  const eventsByTask = new Map<number, TraceEvent[]>();
  const loopEvents: TraceEvent[] = [];
  for (const event of trace.events) {
    const task = taskOf(event);
    if (task === null) {
      if (event.kind === "idle" || event.kind === "blocked" || event.kind === "callback" || event.kind === "output") loopEvents.push(event);
      continue;
    }
    let list = eventsByTask.get(task);
    if (!list) eventsByTask.set(task, (list = []));
    list.push(event);
  }

  const maxLanes = opts.maxLanes ?? 40;
  const shown = trace.tasks.slice(0, maxLanes);
  for (const task of shown) {
    out.push(...lane(trace, task, eventsByTask.get(task.id) ?? [], paint, where));
    out.push("");
  }
  const hidden = trace.tasks.slice(maxLanes);
  if (hidden.length > 0) {
    out.push(paint("dim", `… ${hidden.length} more ${hidden.length === 1 ? "task" : "tasks"} not shown (${summariseHidden(hidden)})`));
    out.push("");
  }
  if (loopEvents.length > 0) {
    out.push(paint("bold", trace.tasks.length > 0 ? "Event loop" : "Main thread (no event loop ran)"));
    out.push(...loopLane(loopEvents, paint, where));
    out.push("");
  }

  out.push(footer(trace, paint));
  out.push("");
  out.push(...findingsSection(findings, trace.file, paint));
  if (trace.eventsTruncated) out.push(paint("yellow", "note: the event list reached its cap; later events were not recorded"));

  const width = opts.width;
  const lines = width && width > 10 ? out.map((line) => truncateVisible(line, width)) : out;
  return lines.join("\n").replace(/\n+$/, "") + "\n";
}

function header(trace: Trace, paint: Paint): string[] {
  const status = trace.status === "ok" ? paint("green", "ok") : paint("red", trace.status);
  const lines = [
    `${paint("bold", "asyncio-trace")}  ${trace.file}`,
    `engine ${trace.engine} · Python ${trace.pythonVersion} · ${status} · exit ${trace.exitCode} · ` +
      `virtual ${seconds3(trace.virtualTime)} s · wall ${Math.round(trace.wallMs)} ms · ${trace.tasks.length} ${trace.tasks.length === 1 ? "task" : "tasks"}` +
      (trace.networkSimulated ? " · network simulated" : ""),
  ];
  if (trace.uncaught) lines.push(paint("red", `uncaught: ${trace.uncaught.line}${trace.uncaught.location ? ` (${lineRef(trace.uncaught.location, trace.file)})` : ""}`));
  if (trace.livelock) lines.push(paint("red", `livelock: ${trace.livelock.tasks.map((id) => `#${id}`).join(", ")} kept polling with sleep(0) while a timer was due at t=${seconds3(trace.livelock.pendingTimerAt)}`));
  if (trace.engineError) lines.push(paint("red", `engine error: ${trace.engineError}`));
  if (trace.outputTruncated) lines.push(paint("yellow", "output was truncated at the cap"));
  return lines;
}

function lane(
  trace: Trace,
  task: TaskInfo,
  events: TraceEvent[],
  paint: Paint,
  where: (l: SourceLocation | null | undefined) => string,
): string[] {
  const parent = task.parent !== null ? trace.tasks.find((t) => t.id === task.parent) : undefined;
  const origin = [task.created ? `created at ${where(task.created)}` : "", parent ? `by ${parent.name}` : ""].filter(Boolean).join(" ");
  const rows = [`${paint("bold", paint("cyan", task.name))}  ${readableCoro(task.coro)}${origin ? paint("dim", `  · ${origin}`) : ""}`];
  const steps = events.filter((e): e is TaskStepEvent => e.kind === "step");
  // The tracer emits a step when it ends, after what happened inside it (blocking, prints), so
  // those rows wait in `inside` until their step's start row is out.
  let inside: string[] = [];
  let stepIndex = 0;
  for (const event of events) {
    if (event.kind !== "step") {
      const detail = laneDetail(event, paint, where);
      // A non-blocking request is recorded when its response arrives: it belongs to the wait just shown.
      if (detail && event.kind === "network" && !event.blocking) rows.push(detail);
      else if (detail) inside.push(detail);
      continue;
    }
    const verb = stepIndex === 0 ? "▶ run   " : "▶ resume";
    stepIndex++;
    const cost = event.tEnd - event.t > 0 ? paint("red", `  ran ${seconds3(event.tEnd - event.t)} s of virtual time`) : "";
    rows.push(row(event.t, paint("green", verb), `${where(event.resumed)}${cost}`), ...inside);
    inside = [];
    const next = steps[stepIndex];
    if (event.awaiting) {
      const waited = next ? `${seconds3(next.t - event.tEnd)} s` : trace.status === "ok" ? "never resumed" : `still waiting at t=${seconds3(trace.virtualTime)}`;
      rows.push(row(event.tEnd, paint("magenta", "⏸ await "), `${event.awaiting.label}  ${where(event.suspended)}  ${paint("bold", waited)}`));
    } else {
      rows.push(row(event.tEnd, ...taskEnd(task, paint, where)));
    }
  }
  rows.push(...inside);
  if (steps.length === 0 && task.end.kind !== "pending") rows.push(row(task.end.t, ...taskEnd(task, paint, where)));
  if (task.end.kind === "pending" && !steps.at(-1)?.awaiting) {
    rows.push(row(trace.virtualTime, paint("yellow", "… pending"), task.end.awaiting ? `on ${task.end.awaiting.label}  ${where(task.end.location)}` : where(task.end.location)));
  }
  return rows;
}

/** A row for something a task did inside a step; null for events its lane does not show. */
function laneDetail(event: TraceEvent, paint: Paint, where: (l: SourceLocation | null | undefined) => string): string | null {
  switch (event.kind) {
    case "blocked":
      return row(event.t, paint("red", "⛔ blocked"), `${formatSeconds(event.tEnd - event.t)}  ${event.call}  ${where(event.location)}`);
    case "output": {
      const text = event.text.replace(/\n$/, "").replace(/\n/g, "⏎");
      return text ? row(event.t, paint("dim", event.stream === "stderr" ? "✎ stderr" : "✎ print "), JSON.stringify(text)) : null;
    }
    case "warning":
      return row(event.t, paint("yellow", "⚠ warning"), `${event.category}: ${event.message}`);
    case "log":
      return row(event.t, paint("yellow", `⚠ ${event.level.toLowerCase()}`), `${event.logger}: ${firstLine(event.message)}`);
    case "network":
      return row(event.t, paint("blue", "⇄ network"), `${event.method} ${event.url} → ${event.status}  ${seconds3(event.tEnd - event.t)} s${event.blocking ? " (blocking)" : ""}`);
    default:
      return null;
  }
}

function taskEnd(task: TaskInfo, paint: Paint, where: (l: SourceLocation | null | undefined) => string): [string, string] {
  const end = task.end;
  switch (end.kind) {
    case "result":
      return [paint("green", "✓ return"), end.repr];
    case "exception":
      return [paint("red", "✗ raised"), `${end.type}${end.message ? `: ${end.message}` : ""}  ${where(end.location)}${end.retrieved ? "" : paint("red", "  (never retrieved)")}`];
    case "cancelled":
      return [paint("yellow", "⊘ cancelled"), `${where(end.location)}${end.atShutdown ? "  (at shutdown)" : ""}`];
    case "pending":
      return [paint("yellow", "… pending"), where(end.location)];
  }
}

/** Idle jumps come in long runs (1,000 staggered sleeps make 1,000); a run of more than three is one row. */
function loopLane(events: TraceEvent[], paint: Paint, where: (l: SourceLocation | null | undefined) => string): string[] {
  const rows: string[] = [];
  for (let i = 0; i < events.length; ) {
    let j = i;
    while (j < events.length && events[j].kind === "idle") j++;
    if (j - i > 3) {
      const first = events[i] as IdleJumpEvent;
      const last = events[j - 1] as IdleJumpEvent;
      const total = events.slice(i, j).reduce((sum, e) => sum + ((e as IdleJumpEvent).to - e.t), 0);
      rows.push(row(first.t, paint("dim", "· idle   "), `${j - i} clock jumps up to t=${seconds3(last.to)} (${seconds3(total)} s idle in total)`));
      i = j;
    } else {
      rows.push(...loopRow(events[i], paint, where));
      i++;
    }
  }
  return rows;
}

function loopRow(event: TraceEvent, paint: Paint, where: (l: SourceLocation | null | undefined) => string): string[] {
  switch (event.kind) {
    case "idle":
      return [row(event.t, paint("dim", "· idle   "), `clock jumps to t=${seconds3(event.to)} (${seconds3(event.to - event.t)} s)`)];
    case "blocked":
      return [row(event.t, paint("red", "⛔ blocked"), `${formatSeconds(event.tEnd - event.t)}  ${event.call}  ${where(event.location)}`)];
    case "callback":
      return [row(event.t, paint("blue", "↻ callback"), `${event.label}  ${where(event.location)}`)];
    case "output": {
      const text = event.text.replace(/\n$/, "").replace(/\n/g, "⏎");
      return text ? [row(event.t, paint("dim", event.stream === "stderr" ? "✎ stderr" : "✎ print "), JSON.stringify(text))] : [];
    }
    default:
      return [];
  }
}

function footer(trace: Trace, paint: Paint): string {
  const { leafWaits, blocked } = waitTotals(trace);
  const sum = leafWaits + blocked;
  const total = trace.virtualTime;
  const parts = [`total virtual time ${formatSeconds(total)}`, `sum of waits ${formatSeconds(sum)}`];
  if (blocked > 0) parts[1] += ` (${formatSeconds(leafWaits)} awaited + ${formatSeconds(blocked)} blocked)`;
  const saved = sum - total;
  const verdict = saved > 0.0005 ? paint("green", `→ concurrency saved ${formatSeconds(saved)}`) : paint("dim", "→ no waits overlapped");
  return `${parts.join(" · ")} ${verdict}`;
}

const SEVERITY_ICON = { error: "✖", warning: "⚠", info: "ℹ" } as const;
const SEVERITY_COLOR = { error: "red", warning: "yellow", info: "blue" } as const;

function findingsSection(findings: Finding[], mainFile: string, paint: Paint): string[] {
  if (findings.length === 0) return [paint("green", "No findings: the run shows none of the known asyncio mistakes.")];
  const lines = [paint("bold", `Findings (${findings.length})`)];
  for (const finding of findings) {
    const location = finding.location ? `${displayPath(finding.location.file, mainFile)}:${finding.location.line}` : "(no line)";
    lines.push(`  ${paint(SEVERITY_COLOR[finding.severity], SEVERITY_ICON[finding.severity])} ${location}  ${paint("dim", finding.code)}  ${finding.message.en}`);
  }
  return lines;
}

function row(t: number, label: string, text: string): string {
  return `  t=${seconds3(t).padStart(7)}  ${label}  ${text}`.replace(/\s+$/, "");
}

function taskOf(event: TraceEvent): number | null {
  switch (event.kind) {
    case "step":
    case "task-created":
    case "task-done":
      return event.task;
    case "blocked":
    case "output":
    case "log":
    case "network":
      return event.task;
    case "warning":
      return event.createdBy ?? null;
    default:
      return null;
  }
}

function summariseHidden(tasks: TaskInfo[]): string {
  const byCoro = new Map<string, number>();
  for (const task of tasks) {
    const name = task.coro.split("(")[0];
    byCoro.set(name, (byCoro.get(name) ?? 0) + 1);
  }
  return [...byCoro.entries()].map(([name, count]) => `${count}× ${name}`).join(", ");
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}

/** "line 12" for the traced file, "other.py:12" for anything else. */
export function lineRef(location: SourceLocation | null | undefined, mainFile: string): string {
  if (!location) return "";
  return location.file === mainFile ? `line ${location.line}` : `${location.file.split(/[\\/]/).pop()}:${location.line}`;
}

function displayPath(file: string, mainFile: string): string {
  return file === mainFile ? file.split(/[\\/]/).pop() ?? file : file;
}

function seconds3(s: number): string {
  return (Math.abs(s) < 5e-10 ? 0 : s).toFixed(3);
}

/** Cuts a row to `width` visible characters, keeping ANSI escapes intact. */
function truncateVisible(line: string, width: number): string {
  let visible = 0;
  let result = "";
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "\x1b") {
      const end = line.indexOf("m", i);
      if (end > i) {
        result += line.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (visible === width - 1 && visibleLength(line.slice(i)) > 1) return result + "…" + (line.includes("\x1b") ? ANSI.reset : "");
    result += line[i];
    visible++;
  }
  return result;
}

function visibleLength(text: string): number {
  return text.replace(/\x1b\[[0-9;]*m/g, "").length;
}
