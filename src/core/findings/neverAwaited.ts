import { definedHereMessage, FINDING_EXPLANATIONS, neverAwaitedMessage, warningReportedHereMessage } from "../explain/findingTexts";
import type { WarningEvent } from "../trace/schema";
import type { Finding } from "./types";
import { describeTask, type TraceFacts } from "./traceFacts";

const NEVER_AWAITED = /coroutine '([^']+)' was never awaited/;

/** One finding per "coroutine ... was never awaited" warning, pointed at the line that created it. */
export function findNeverAwaited(facts: TraceFacts): Finding[] {
  const findings: Finding[] = [];
  for (const event of facts.trace.events) {
    if (event.kind !== "warning" || event.category !== "RuntimeWarning") continue;
    const match = NEVER_AWAITED.exec(event.message);
    if (!match) continue;
    findings.push(neverAwaitedFinding(facts, event, match[1]));
  }
  return findings;
}

function neverAwaitedFinding(facts: TraceFacts, warning: WarningEvent, qualifiedName: string): Finding {
  const created = warning.createdAt ?? null;
  const creator = warning.createdBy != null ? facts.tasksById.get(warning.createdBy) : undefined;
  const related: Finding["related"] = [];
  // CPython names the line where the coroutine was dropped; say so when that is elsewhere
  // ("sys:1", used at interpreter exit, is not a place in any file).
  const reportedInFile = warning.location && /^([\\/]|[A-Za-z]:[\\/])/.test(warning.location.file);
  if (reportedInFile && warning.location && (!created || warning.location.line !== created.line || warning.location.file !== created.file)) {
    related.push({ location: warning.location, message: warningReportedHereMessage() });
  }
  if (creator?.defined) related.push({ location: creator.defined, message: definedHereMessage(describeTask(creator)) });
  return {
    code: "never-awaited",
    severity: "warning",
    location: created ?? (reportedInFile ? warning.location : null),
    related,
    message: neverAwaitedMessage({
      coroutine: qualifiedName,
      created,
      createdBy: creator ? describeTask(creator) : null,
      mainFile: facts.trace.file,
    }),
    explanation: FINDING_EXPLANATIONS["never-awaited"],
    tasks: creator ? [creator.id] : [],
    span: { t: warning.t, tEnd: warning.t },
    events: [warning.seq],
  };
}
