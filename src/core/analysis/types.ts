/** Shared shapes of the static analysis: positions, findings and fixes. Positions are 0-based, columns in UTF-16 code units (as VS Code counts them). */

export const RULE_CODES = [
  "await-outside-async",
  "unawaited-coroutine",
  "blocking-sleep",
  "await-non-awaitable",
  "run-in-running-loop",
  "blocking-call-in-async",
  "dangling-task",
  "async-busy-wait",
  "timeout-without-await",
  "async-without-await",
] as const;

/** A rule's diagnostic code: a kebab-case slug a learner can read. */
export type RuleCode = (typeof RULE_CODES)[number];

export type Severity = "error" | "warning" | "info" | "hint";
export type SeveritySetting = Severity | "off";

export const DEFAULT_SEVERITY: Record<RuleCode, Severity> = {
  "await-outside-async": "error",
  "unawaited-coroutine": "warning",
  "blocking-sleep": "warning",
  "await-non-awaitable": "error",
  "run-in-running-loop": "error",
  "blocking-call-in-async": "warning",
  "dangling-task": "warning",
  "async-busy-wait": "info",
  "timeout-without-await": "warning",
  "async-without-await": "info",
};

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** Names of fix titles; the texts live in src/core/explain (en, zh-tw) and l10n/. */
export type FixKind =
  | "addAwait"
  | "wrapInAsyncioRun"
  | "useAsyncioSleep"
  | "wrapInAsyncMain"
  | "makeDefAsync"
  | "replaceRunWithAwait"
  | "keepTaskReference"
  | "removeAwait"
  | "runInThread";

export interface Fix {
  kind: FixKind;
  edits: TextEdit[];
  /** Only fixes that cannot change what a correct program does are preferred. */
  preferred: boolean;
}

export interface Finding {
  code: RuleCode;
  severity: Severity;
  message: string;
  range: Range;
  /** Filled only when fixes were asked for (code actions, CLI, tests), not on every keystroke. */
  fixes?: Fix[];
  /** Detail for the message, e.g. the callee's name. */
  subject?: string;
}

export type Lang = "en" | "zh-tw";

export interface LintOptions {
  /** Per-rule severity override; "off" drops the rule. */
  severities?: Partial<Record<RuleCode, SeveritySetting>>;
  /** A notebook cell runs inside a running loop: top-level await is valid, asyncio.run is not. */
  notebook?: boolean;
  language?: Lang;
  withFixes?: boolean;
}
