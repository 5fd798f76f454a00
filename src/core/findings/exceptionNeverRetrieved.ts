import { definedHereMessage, exceptionNeverRetrievedMessage, FINDING_EXPLANATIONS, taskCreatedHereMessage } from "../explain/findingTexts";
import type { Finding } from "./types";
import { describeTask, type TraceFacts } from "./traceFacts";

/** Tasks that ended with an exception nobody awaited or asked for. */
export function findExceptionsNeverRetrieved(facts: TraceFacts): Finding[] {
  const findings: Finding[] = [];
  for (const task of facts.trace.tasks) {
    const end = task.end;
    if (end.kind !== "exception" || end.retrieved) continue;
    const doneEvent = facts.trace.events.find((e) => e.kind === "task-done" && e.task === task.id);
    const related: Finding["related"] = [];
    if (task.created) related.push({ location: task.created, message: taskCreatedHereMessage(describeTask(task)) });
    if (end.location && task.defined) related.push({ location: task.defined, message: definedHereMessage(task.coro) });
    findings.push({
      code: "exception-never-retrieved",
      severity: "error",
      location: end.location ?? task.created,
      related,
      message: exceptionNeverRetrievedMessage({
        task: describeTask(task),
        exception: end.message ? `${end.type}: ${end.message}` : end.type,
        raised: end.location,
        created: task.created,
        mainFile: facts.trace.file,
      }),
      explanation: FINDING_EXPLANATIONS["exception-never-retrieved"],
      tasks: [task.id],
      span: { t: task.createdAt, tEnd: end.t },
      events: doneEvent ? [doneEvent.seq] : [],
    });
  }
  return findings;
}
