import { FINDING_EXPLANATIONS, pendingAtShutdownMessage, taskCreatedHereMessage } from "../explain/findingTexts";
import type { SourceLocation, TaskInfo } from "../trace/schema";
import type { Finding } from "./types";
import { describeTask, locationKey, type TraceFacts } from "./traceFacts";

/**
 * Tasks asyncio.run cancelled on its way out, or that were left pending when the loop went away.
 * Grouped by the line they were waiting at, so 1,000 identical workers make one finding.
 */
export function findPendingAtShutdown(facts: TraceFacts): Finding[] {
  // A run that was cut short (deadlock, budget, stop) leaves tasks pending for a reason of its own.
  if (facts.trace.status !== "ok") return [];
  const groups = new Map<string, { fate: "cancelled" | "destroyed"; location: SourceLocation | null; tasks: TaskInfo[] }>();
  for (const task of facts.trace.tasks) {
    const end = task.end;
    let fate: "cancelled" | "destroyed";
    if (end.kind === "cancelled" && end.atShutdown) fate = "cancelled";
    else if (end.kind === "pending") fate = "destroyed";
    else continue;
    const location = end.location ?? lastSuspension(facts, task.id);
    const key = `${fate}|${locationKey(location)}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { fate, location, tasks: [] }));
    group.tasks.push(task);
  }
  const findings: Finding[] = [];
  for (const group of groups.values()) {
    const first = group.tasks[0];
    const awaiting = lastAwaitLabel(facts, first);
    const sameAwait = group.tasks.every((task) => lastAwaitLabel(facts, task) === awaiting);
    const related: Finding["related"] = [];
    for (const task of group.tasks.slice(0, 5)) {
      if (task.created) related.push({ location: task.created, message: taskCreatedHereMessage(describeTask(task)) });
    }
    const endTimes = group.tasks.map((task) => (task.end.kind === "cancelled" ? task.end.t : facts.trace.virtualTime));
    const doneSeqs = facts.trace.events
      .filter((e) => e.kind === "task-done" && group.tasks.some((task) => task.id === e.task))
      .map((e) => e.seq);
    findings.push({
      code: "pending-at-shutdown",
      severity: "warning",
      location: group.location,
      related,
      message: pendingAtShutdownMessage({
        tasks: group.tasks.map((task) => describeTask(task)),
        location: group.location,
        awaiting: sameAwait ? awaiting : null,
        fate: group.fate,
        mainFile: facts.trace.file,
      }),
      explanation: FINDING_EXPLANATIONS["pending-at-shutdown"],
      tasks: group.tasks.map((task) => task.id),
      span: { t: Math.min(...group.tasks.map((task) => task.createdAt)), tEnd: Math.max(...endTimes) },
      events: doneSeqs,
    });
  }
  return findings;
}

function lastSuspension(facts: TraceFacts, taskId: number): SourceLocation | null {
  const steps = facts.stepsByTask.get(taskId) ?? [];
  for (let i = steps.length - 1; i >= 0; i--) {
    if (steps[i].suspended) return steps[i].suspended;
  }
  return null;
}

/** What the task was waiting on before shutdown: its last step's await, or the pending end's. */
function lastAwaitLabel(facts: TraceFacts, task: TaskInfo): string | null {
  if (task.end.kind === "pending" && task.end.awaiting) return task.end.awaiting.label;
  const steps = facts.stepsByTask.get(task.id) ?? [];
  // The shutdown cancellation runs a final step that ends the task; the wait that mattered came before it.
  for (let i = steps.length - 1; i >= 0; i--) {
    const awaiting = steps[i].awaiting;
    if (awaiting) return awaiting.label;
  }
  return null;
}
