/**
 * Runtime findings: facts a traced run proved, computed from the Trace alone (plus the source text
 * for the one rule that needs to read code). Used by the CLI, the Problems panel and the webview.
 */
import { readFileSync } from "node:fs";
import type { Trace } from "../trace/schema";
import { findDeadlock } from "./deadlock";
import { findExceptionsNeverRetrieved } from "./exceptionNeverRetrieved";
import { findLoopBlocked } from "./loopBlocked";
import { findMissedConcurrency } from "./missedConcurrency";
import { findNeverAwaited } from "./neverAwaited";
import { findPendingAtShutdown } from "./pendingAtShutdown";
import { findSlowSteps } from "./slowStep";
import { indexTrace } from "./traceFacts";
import type { Finding, FindingSeverity } from "./types";

export type { Finding, FindingCode, FindingSeverity } from "./types";

export interface ComputeFindingsOptions {
  /**
   * The program text for a file (the editor passes its buffer). missed-concurrency needs it to
   * prove one await does not use another's result. Default: read the file from disk.
   */
  readSource?: (file: string) => string | undefined;
}

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

/** Every finding of the run, errors first, then by line. */
export function computeFindings(trace: Trace, options: ComputeFindingsOptions = {}): Finding[] {
  const facts = indexTrace(trace);
  const readSource = options.readSource ?? readFromDisk;
  const findings = [
    ...findDeadlock(facts),
    ...findExceptionsNeverRetrieved(facts),
    ...findNeverAwaited(facts),
    ...findLoopBlocked(facts),
    ...findSlowSteps(facts),
    ...findPendingAtShutdown(facts),
    ...findMissedConcurrency(facts, readSource),
  ];
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.location?.file ?? "").localeCompare(b.location?.file ?? "") ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0),
  );
}

function readFromDisk(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
