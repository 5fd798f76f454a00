import { FINDING_EXPLANATIONS, missedConcurrencyMessage, thenWaitedHereMessage } from "../explain/findingTexts";
import type { SourceLocation, TaskInfo, TaskStepEvent } from "../trace/schema";
import type { Finding } from "./types";
import { describeTask, formatSeconds, TIME_EPSILON, type TraceFacts } from "./traceFacts";

/** Below this, overlapping the waits would not be noticed; not worth a hint. */
export const MIN_MISSED_SAVING = 0.05;

/** Waits that only need time to pass, so they could have overlapped with anything. */
const TIME_ONLY_WAITS = new Set(["sleep", "network", "io"]);

interface Wait {
  /** The step that suspended and the step that resumed after the wait. */
  before: TaskStepEvent;
  after: TaskStepEvent;
  location: SourceLocation;
}

/**
 * A task awaited two or more independent coroutines one after another while nothing else ran.
 * The trace proves the waits did not overlap and that the loop had nothing else to do; the source
 * proves the later awaits do not use an earlier result. Without the source there is no proof, so
 * no finding.
 */
export function findMissedConcurrency(facts: TraceFacts, readSource: (file: string) => string | undefined): Finding[] {
  const findings: Finding[] = [];
  const sources = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (!sources.has(file)) sources.set(file, readSource(file)?.split(/\r?\n/));
    return sources.get(file);
  };
  const busy = busyIntervals(facts);
  for (const [taskId, steps] of facts.stepsByTask) {
    const seen = new Set<string>();
    for (const run of sequentialRuns(facts.tasksById.get(taskId), steps, busy, taskId, linesOf)) {
      const sequential = run[run.length - 1].after.t - run[0].before.tEnd;
      const gathered = Math.max(...run.map((w) => w.after.t - w.before.tEnd));
      if (sequential - gathered < MIN_MISSED_SAVING) continue;
      const key = run.map((w) => w.location.line).join(",");
      if (seen.has(key)) continue; // the same awaits repeated in a loop: one hint is enough
      seen.add(key);
      const task = facts.tasksById.get(taskId);
      findings.push({
        code: "missed-concurrency",
        severity: "info",
        location: run[0].location,
        related: run.slice(1).map((w) => ({ location: w.location, message: thenWaitedHereMessage(formatSeconds(w.after.t - w.before.tEnd)) })),
        message: missedConcurrencyMessage({
          task: describeTask(task, taskId),
          awaits: run.map((w) => w.location),
          sequential: formatSeconds(sequential),
          gathered: formatSeconds(gathered),
          mainFile: facts.trace.file,
        }),
        explanation: FINDING_EXPLANATIONS["missed-concurrency"],
        tasks: [taskId],
        span: { t: run[0].before.tEnd, tEnd: run[run.length - 1].after.t },
        events: run.flatMap((w) => [w.before.seq, w.after.seq]),
      });
    }
  }
  return findings;
}

/** Virtual-time spans during which something other than a given task ran: steps, callbacks, blocking. */
function busyIntervals(facts: TraceFacts): { t: number; tEnd: number; task: number | null }[] {
  const busy: { t: number; tEnd: number; task: number | null }[] = [];
  for (const event of facts.trace.events) {
    if (event.kind === "step" || event.kind === "blocked") busy.push({ t: event.t, tEnd: event.tEnd, task: event.task });
    else if (event.kind === "callback") busy.push({ t: event.t, tEnd: event.tEnd, task: null });
  }
  return busy;
}

/** Maximal runs of ≥ 2 idle, time-only waits at increasing lines of one function, each independent of the earlier ones. */
function sequentialRuns(
  task: TaskInfo | undefined,
  steps: TaskStepEvent[],
  busy: { t: number; tEnd: number; task: number | null }[],
  taskId: number,
  linesOf: (file: string) => string[] | undefined,
): Wait[][] {
  const runs: Wait[][] = [];
  let run: Wait[] = [];
  // Only awaits written in the task's own coroutine are "one after another" in one place; traces
  // from before `taskLine` existed only have the innermost line, which may sit inside a helper.
  const ownBody = functionBody(task?.defined ?? null, linesOf);
  const flush = () => {
    if (run.length >= 2) runs.push(run);
    run = [];
  };
  for (let i = 0; i + 1 < steps.length; i++) {
    const before = steps[i];
    const after = steps[i + 1];
    // The await statement in the task's own coroutine (not the sleep inside a helper it called).
    const location = before.taskLine ?? before.suspended;
    const lines = location ? linesOf(location.file) : undefined;
    const candidate =
      location &&
      lines &&
      ownBody &&
      location.file === ownBody.file &&
      location.line > ownBody.first &&
      location.line <= ownBody.last &&
      before.awaiting &&
      TIME_ONLY_WAITS.has(before.awaiting.kind) &&
      after.t - before.tEnd > TIME_EPSILON &&
      !isDirectSleep(lines, location.line) &&
      !busy.some((b) => b.task !== taskId && b.t < after.t - TIME_EPSILON && b.tEnd > before.tEnd + TIME_EPSILON);
    if (!candidate) {
      flush();
      continue;
    }
    const wait: Wait = { before, after, location: location! };
    const previous = run[run.length - 1];
    if (
      previous &&
      (previous.location.file !== location!.file ||
        previous.location.line >= location!.line ||
        dependsOnEarlier(lines!, run.map((w) => w.location.line), location!.line))
    ) {
      flush();
    }
    run.push(wait);
  }
  flush();
  return runs;
}

/** The lines of the function defined at `defined` (its `def` line, after any decorators, to its last indented line). */
export function functionBody(
  defined: SourceLocation | null,
  linesOf: (file: string) => string[] | undefined,
): { file: string; first: number; last: number } | null {
  const lines = defined ? linesOf(defined.file) : undefined;
  if (!defined || !lines) return null;
  let def = defined.line;
  while (def <= lines.length && !/^\s*(async\s+)?def\b/.test(lines[def - 1])) def++;
  if (def > lines.length) return null;
  const indent = indentOf(lines[def - 1]);
  let last = def;
  for (let n = def + 1; n <= lines.length; n++) {
    const text = lines[n - 1];
    if (/^\s*(#.*)?$/.test(text)) continue;
    if (indentOf(text) <= indent) break;
    last = n;
  }
  return { file: defined.file, first: def, last };
}

function indentOf(text: string): number {
  return (/^\s*/.exec(text) ?? [""])[0].replace(/\t/g, "        ").length;
}

/** `await asyncio.sleep(1)` written on purpose (pacing, backoff) is not a coroutine to gather. */
function isDirectSleep(lines: string[], line: number): boolean {
  return /\bawait\s+(asyncio\.)?sleep\s*\(/.test(lines[line - 1] ?? "");
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
const CONTROL = /^\s*(if|elif|while|for|async\s+for|with|async\s+with|match|case|assert|return|break|continue|raise)\b/;

/**
 * True when the statement at `line` reads a name bound by an earlier await of the run, directly or
 * through assignments in between, or when control flow in between depends on such a name.
 */
export function dependsOnEarlier(lines: string[], earlierLines: number[], line: number): boolean {
  const tracked = new Set<string>();
  const first = earlierLines[0];
  for (let n = first; n < line; n++) {
    const text = stripComment(lines[n - 1] ?? "");
    const bound = boundNames(text);
    if (earlierLines.includes(n)) {
      for (const name of bound) tracked.add(name);
      continue;
    }
    const used = namesIn(rhsOf(text));
    if (![...used].some((name) => tracked.has(name))) continue;
    if (CONTROL.test(text) && !/^\s*(with|async\s+with)\b/.test(text)) return true;
    for (const name of bound) tracked.add(name);
  }
  const statement = stripComment(lines[line - 1] ?? "");
  return [...namesIn(rhsOf(statement))].some((name) => tracked.has(name));
}

function stripComment(text: string): string {
  const hash = text.indexOf("#");
  return hash >= 0 ? text.slice(0, hash) : text;
}

/** Names a statement binds: `a, b = ...`, `a: int = ...`, `a += ...`, `... as a`, `for a in ...`. */
function boundNames(text: string): Set<string> {
  const names = new Set<string>();
  const assign = /^\s*([A-Za-z_][\w\s,.[\]:*]*?)\s*(?:[-+*/%&|^@]|\/\/|\*\*|>>|<<)?=(?!=)/.exec(text);
  if (assign) {
    const target = assign[1].split(":")[0];
    for (const name of target.match(IDENTIFIER) ?? []) names.add(name);
  }
  for (const m of text.matchAll(/\bas\s+([A-Za-z_]\w*)/g)) names.add(m[1]);
  const loop = /^\s*(?:async\s+)?for\s+(.+?)\s+in\b/.exec(text);
  if (loop) for (const name of loop[1].match(IDENTIFIER) ?? []) names.add(name);
  return names;
}

/** The part of a statement that is read: right of the first `=` of an assignment, else all of it. */
function rhsOf(text: string): string {
  const assign = /^\s*[A-Za-z_][\w\s,.[\]:*]*?\s*(?:[-+*/%&|^@]|\/\/|\*\*|>>|<<)?=(?!=)/.exec(text);
  return assign ? text.slice(assign[0].length) : text;
}

function namesIn(text: string): Set<string> {
  // Attribute names after a dot are not variable reads. Words inside strings count as reads: f-strings
  // read names, and over-counting only makes the rule more careful.
  const cleaned = text.replace(/\.\s*[A-Za-z_]\w*/g, ".");
  return new Set(cleaned.match(IDENTIFIER) ?? []);
}
