import { blockingCallInStepMessage, FINDING_EXPLANATIONS, slowStepMessage } from "../explain/findingTexts";
import type { SourceLocation, TaskStepEvent } from "../trace/schema";
import type { Finding } from "./types";
import { describeTask, formatSeconds, locationKey, TIME_EPSILON, type TraceFacts } from "./traceFacts";

/** asyncio's debug mode reports callbacks slower than this (loop.slow_callback_duration). */
export const SLOW_STEP_SECONDS = 0.1;

/**
 * Steps that held the loop for ≥ 100 ms of virtual time. A step whose time is all one blocking
 * line is already a loop-blocked finding at that line, so it is not reported twice.
 */
export function findSlowSteps(facts: TraceFacts): Finding[] {
  const groups = new Map<string, { step: TaskStepEvent; blockingLines: SourceLocation[] }[]>();
  for (const step of facts.steps) {
    if (step.tEnd - step.t < SLOW_STEP_SECONDS - TIME_EPSILON) continue;
    const inside = facts.blocked.filter(
      (b) => b.t >= step.t - TIME_EPSILON && b.tEnd <= step.tEnd + TIME_EPSILON && b.tEnd - b.t > TIME_EPSILON && (b.task === null || b.task === step.task),
    );
    const blockedTime = inside.reduce((sum, b) => sum + (b.tEnd - b.t), 0);
    const blockingLines = uniqueLocations(inside.map((b) => b.location));
    const oneLineExplainsIt = blockingLines.length === 1 && step.tEnd - step.t - blockedTime < SLOW_STEP_SECONDS - TIME_EPSILON;
    if (oneLineExplainsIt) continue;
    const key = `${locationKey(step.resumed)}>${locationKey(step.suspended)}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push({ step, blockingLines });
  }
  const findings: Finding[] = [];
  for (const group of groups.values()) {
    const longest = group.reduce((a, b) => (b.step.tEnd - b.step.t > a.step.tEnd - a.step.t ? b : a)).step;
    const taskIds = [...new Set(group.map((g) => g.step.task))];
    const blockingLines = uniqueLocations(group.flatMap((g) => g.blockingLines));
    const first = group[0].step;
    findings.push({
      code: "slow-step",
      severity: "warning",
      location: first.resumed ?? first.suspended,
      related: blockingLines.map((location) => ({ location, message: blockingCallInStepMessage() })),
      message: slowStepMessage({
        tasks: taskIds.map((id) => describeTask(facts.tasksById.get(id), id)),
        count: group.length,
        longest: formatSeconds(longest.tEnd - longest.t),
        from: first.resumed,
        to: first.suspended,
        blockingLines,
        mainFile: facts.trace.file,
      }),
      explanation: FINDING_EXPLANATIONS["slow-step"],
      tasks: taskIds,
      span: { t: longest.t, tEnd: longest.tEnd },
      events: group.map((g) => g.step.seq),
    });
  }
  return findings;
}

function uniqueLocations(locations: (SourceLocation | null)[]): SourceLocation[] {
  const seen = new Map<string, SourceLocation>();
  for (const location of locations) if (location && !seen.has(locationKey(location))) seen.set(locationKey(location), location);
  return [...seen.values()].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}
