/**
 * Per-line runtime facts of a run, for hovers and inline hints: how often a line suspended its
 * task and how long it waited in total, and how long a line blocked the loop.
 */
import type { SourceLocation, TaskStepEvent, Trace } from "../trace/schema";
import { describeTask, formatSeconds, locationKey, TIME_EPSILON } from "./traceFacts";

export interface AwaitLineStats {
  location: SourceLocation;
  /** Times a task suspended here. */
  suspensions: number;
  /** Virtual seconds spent waiting here, summed over every suspension that was resumed. */
  waited: number;
  /** Tasks that suspended here, in first-seen order. */
  tasks: number[];
  /** What was awaited here, most frequent first (e.g. "sleep(3)"). */
  labels: string[];
}

export interface BlockedLineStats {
  location: SourceLocation;
  count: number;
  blocked: number;
  calls: string[];
  tasks: number[];
}

export interface LineStats {
  awaits: Map<string, AwaitLineStats>;
  blocked: Map<string, BlockedLineStats>;
}

export function computeLineStats(trace: Trace): LineStats {
  const awaits = new Map<string, AwaitLineStats>();
  const labelCounts = new Map<string, Map<string, number>>();
  const blocked = new Map<string, BlockedLineStats>();
  const previous = new Map<number, TaskStepEvent>();
  const credit = (location: SourceLocation, step: TaskStepEvent, waited: number | null) => {
    const key = locationKey(location);
    let stats = awaits.get(key);
    if (!stats) awaits.set(key, (stats = { location, suspensions: 0, waited: 0, tasks: [], labels: [] }));
    if (waited === null) {
      stats.suspensions++;
      if (!stats.tasks.includes(step.task)) stats.tasks.push(step.task);
      let counts = labelCounts.get(key);
      if (!counts) labelCounts.set(key, (counts = new Map()));
      if (step.awaiting) counts.set(step.awaiting.label, (counts.get(step.awaiting.label) ?? 0) + 1);
    } else {
      stats.waited += waited;
    }
  };
  const userFiles = new Set<string>([trace.file]);
  for (const task of trace.tasks) if (task.defined) userFiles.add(task.defined.file);
  /** The outer await line, plus the inner user line actually awaiting (an `await sleep` inside a helper coroutine). */
  const linesOf = (step: TaskStepEvent): SourceLocation[] => {
    const lines: SourceLocation[] = [];
    if (step.suspended) lines.push(step.suspended);
    const inner = step.awaiting?.location;
    if (inner && userFiles.has(inner.file) && locationKey(inner) !== locationKey(step.suspended)) lines.push(inner);
    return lines;
  };
  for (const event of trace.events) {
    if (event.kind === "step") {
      const before = previous.get(event.task);
      if (before?.awaiting) for (const location of linesOf(before)) credit(location, before, event.t - before.tEnd);
      if (event.awaiting) for (const location of linesOf(event)) credit(location, event, null);
      previous.set(event.task, event);
    } else if (event.kind === "blocked" && event.location && event.tEnd - event.t > TIME_EPSILON) {
      const key = locationKey(event.location);
      let stats = blocked.get(key);
      if (!stats) blocked.set(key, (stats = { location: event.location, count: 0, blocked: 0, calls: [], tasks: [] }));
      stats.count++;
      stats.blocked += event.tEnd - event.t;
      if (!stats.calls.includes(event.call)) stats.calls.push(event.call);
      if (event.task !== null && !stats.tasks.includes(event.task)) stats.tasks.push(event.task);
    }
  }
  for (const [key, counts] of labelCounts) {
    awaits.get(key)!.labels = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([label]) => label);
  }
  return { awaits, blocked };
}

/** "suspended 3× · waited 3.0 s total · in Task-2 (fetch('A'))" (or its zh-tw form). */
export function describeAwaitLine(trace: Trace, stats: AwaitLineStats, lang: "en" | "zh-tw" = "en"): string {
  const tasks = stats.tasks.map((id) => trace.tasks.find((task) => task.id === id));
  const names = tasks.slice(0, 3).map((task, i) => task?.name ?? `#${stats.tasks[i]}`).join(", ") + (tasks.length > 3 ? ", …" : "");
  const one = tasks.length === 1 ? describeTask(tasks[0], stats.tasks[0]) : null;
  if (lang === "zh-tw") {
    const where = one ? `在 ${one} 中` : `在 ${tasks.length} 個 Task 中(${names})`;
    return `暫停 ${stats.suspensions} 次 · 共等待 ${formatSeconds(stats.waited)} · ${where}`;
  }
  const where = one ? `in ${one}` : `in ${tasks.length} tasks (${names})`;
  return `suspended ${stats.suspensions}× · waited ${formatSeconds(stats.waited)} total · ${where}`;
}

/** "blocked the loop 1× for 3.0 s · time.sleep(3) · in Task-1 (main())" (or its zh-tw form). */
export function describeBlockedLine(trace: Trace, stats: BlockedLineStats, lang: "en" | "zh-tw" = "en"): string {
  const tasks = stats.tasks.map((id) => describeTask(trace.tasks.find((task) => task.id === id), id));
  if (lang === "zh-tw") {
    const where = tasks.length === 0 ? "不在任何 Task 中" : tasks.length === 1 ? `在 ${tasks[0]} 中` : `在 ${tasks.length} 個 Task 中`;
    return `卡住事件迴圈 ${stats.count} 次,共 ${formatSeconds(stats.blocked)} · ${stats.calls.join(", ")} · ${where}`;
  }
  const where = tasks.length === 0 ? "outside any task" : tasks.length === 1 ? `in ${tasks[0]}` : `in ${tasks.length} tasks`;
  return `blocked the loop ${stats.count}× for ${formatSeconds(stats.blocked)} · ${stats.calls.join(", ")} · ${where}`;
}
