import { FINDING_EXPLANATIONS, loopBlockedMessage, runsInTaskMessage } from "../explain/findingTexts";
import type { BlockedEvent } from "../trace/schema";
import type { Finding } from "./types";
import { describeTask, formatSeconds, locationKey, loopSpan, TIME_EPSILON, type TraceFacts } from "./traceFacts";

/** How much a task was kept from running by one blocked span. */
export interface BlockedImpact {
  /** Tasks whose timer fell due during the span, with how late they woke up. */
  late: { task: number; lateBy: number }[];
  /** Tasks already created and waiting for their first step when the span began. */
  ready: number[];
}

/**
 * Blocking calls made while the loop was running, one finding per line (a loop calling
 * `time.sleep(0.1)` ten times is one place to fix, not ten).
 */
export function findLoopBlocked(facts: TraceFacts): Finding[] {
  const running = loopSpan(facts);
  const byLine = new Map<string, BlockedEvent[]>();
  for (const event of facts.blocked) {
    if (event.tEnd - event.t <= TIME_EPSILON) continue;
    const insideLoop = event.task !== null || (running && event.t >= running.t - TIME_EPSILON && event.tEnd <= running.tEnd + TIME_EPSILON);
    if (!insideLoop) continue;
    const key = locationKey(event.location);
    let list = byLine.get(key);
    if (!list) byLine.set(key, (list = []));
    list.push(event);
  }
  const findings: Finding[] = [];
  for (const spans of byLine.values()) {
    const total = spans.reduce((sum, span) => sum + (span.tEnd - span.t), 0);
    const lateBy = new Map<number, number>();
    const ready = new Set<number>();
    for (const span of spans) {
      const impact = blockedImpact(facts, span);
      for (const { task, lateBy: late } of impact.late) lateBy.set(task, Math.max(late, lateBy.get(task) ?? 0));
      for (const task of impact.ready) ready.add(task);
    }
    const late = [...lateBy.entries()].sort((a, b) => b[1] - a[1]);
    const longest = spans.reduce((a, b) => (b.tEnd - b.t > a.tEnd - a.t ? b : a));
    const distinctCalls = new Set(spans.map((span) => span.call));
    const related: Finding["related"] = [];
    for (const id of new Set(spans.map((span) => span.task).filter((id): id is number => id !== null))) {
      const task = facts.tasksById.get(id);
      if (task?.defined) related.push({ location: task.defined, message: runsInTaskMessage(describeTask(task)) });
    }
    findings.push({
      code: "loop-blocked",
      severity: "warning",
      location: spans[0].location,
      related,
      message: loopBlockedMessage({
        location: spans[0].location,
        call: distinctCalls.size === 1 ? spans[0].call : longest.call,
        count: spans.length,
        total: formatSeconds(total),
        late: late.map(([id, seconds]) => ({ task: describeTask(facts.tasksById.get(id), id), lateBy: formatSeconds(seconds) })),
        ready: [...ready].map((id) => describeTask(facts.tasksById.get(id), id)),
        mainFile: facts.trace.file,
      }),
      explanation: FINDING_EXPLANATIONS["loop-blocked"],
      tasks: [...new Set([...spans.map((s) => s.task).filter((id): id is number => id !== null), ...lateBy.keys(), ...ready])],
      span: { t: longest.t, tEnd: longest.tEnd },
      events: spans.map((span) => span.seq),
    });
  }
  return findings;
}

/**
 * Derived from timers, steps and task ends: a task whose timer fell due (or whose awaited tasks
 * finished) before the span ended, but whose wake-up step ran only after it, woke late by
 * (wake-up step start − when it was due). A task created before the span and first stepped after
 * it was ready the whole time.
 */
export function blockedImpact(facts: TraceFacts, span: BlockedEvent): BlockedImpact {
  const late: BlockedImpact["late"] = [];
  for (const fired of facts.timersFired.values()) {
    if (fired.task === null || fired.task === span.task) continue;
    const scheduled = facts.timersScheduled.get(fired.timer);
    if (!scheduled || scheduled.seq > span.seq || scheduled.when >= span.tEnd - TIME_EPSILON) continue;
    const wake = (facts.stepsByTask.get(fired.task) ?? []).find((step) => step.seq > fired.seq);
    if (!wake || wake.seq < span.seq) continue;
    const lateBy = wake.t - scheduled.when;
    if (lateBy > TIME_EPSILON) late.push({ task: fired.task, lateBy });
  }
  // A task awaiting other tasks was ready once the last of them finished.
  for (const [taskId, steps] of facts.stepsByTask) {
    if (taskId === span.task || late.some((l) => l.task === taskId)) continue;
    const before = steps.filter((step) => step.seq < span.seq).at(-1);
    const after = steps.find((step) => step.seq > span.seq);
    const awaited = before?.awaiting;
    if (!after || !awaited || (awaited.kind !== "task" && awaited.kind !== "gather") || !awaited.tasks?.length) continue;
    const ends = awaited.tasks.map((id) => facts.doneByTask.get(id));
    if (ends.some((done) => !done || done.seq > span.seq)) continue;
    const readyAt = Math.max(...ends.map((done) => done!.t));
    if (after.t - readyAt > TIME_EPSILON) late.push({ task: taskId, lateBy: after.t - readyAt });
  }
  const ready: number[] = [];
  for (const event of facts.trace.events) {
    if (event.seq > span.seq) break;
    if (event.kind !== "task-created" || event.task === span.task) continue;
    const first = facts.stepsByTask.get(event.task)?.[0];
    if (first && first.seq > span.seq) ready.push(event.task);
  }
  return { late, ready };
}
