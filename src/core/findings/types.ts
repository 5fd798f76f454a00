import type { SourceLocation } from "../trace/schema";

/**
 * A runtime finding: a fact the traced run proved (not a static guess). Computed from a Trace by
 * src/core/findings; shown in the Problems panel (source "asyncio-trace (run)"), the panel's
 * findings list, hovers and the CLI.
 */
export type FindingCode =
  | "never-awaited"
  | "loop-blocked"
  | "exception-never-retrieved"
  | "pending-at-shutdown"
  | "deadlock"
  | "missed-concurrency"
  | "slow-step";

export type FindingSeverity = "error" | "warning" | "info";

export interface Finding {
  code: FindingCode;
  severity: FindingSeverity;
  /** Where the editor should point. */
  location: SourceLocation | null;
  /** Other places worth linking (creation site, the line a task waited at, ...), each said per language. */
  related: { location: SourceLocation; message: { en: string; "zh-tw": string } }[];
  /** One-sentence fact with numbers, per language. */
  message: { en: string; "zh-tw": string };
  /** The tutorial idea behind it, in our own words, per language. */
  explanation: { en: string; "zh-tw": string };
  /** Tasks involved (trace task ids), and the virtual-time span to select in the timeline. */
  tasks: number[];
  span: { t: number; tEnd: number } | null;
  /** Event seq numbers that prove it (lets the panel jump to the step). */
  events: number[];
}
