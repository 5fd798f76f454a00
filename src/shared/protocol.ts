/**
 * Every message between the panel host (src/panel, src/vscode) and the webview (src/webview).
 * Both sides import this file; nothing else crosses the boundary.
 *
 * Naming follows GitLens: `XCommand` / `XRequest` go webview -> host, `DidXNotification` goes
 * host -> webview. The first payload does not travel as a message at all: the host embeds it in
 * the page (see `encodeEmbeddedPayload`) so the panel paints without a round trip.
 */
import type { SourceLocation, Trace } from "../core/trace/schema";
import type { Finding } from "../core/findings/types";

/** What the panel shows: one run's trace, the findings computed from it, and the run's identity. */
export interface TracePayload {
  trace: Trace;
  findings: Finding[];
  /** Increases with each run, so the webview can tell a re-run of the same file from a new file. */
  runId: number;
  /** Text of the traced user files (path -> content), so tooltips can quote the line's code. */
  sources?: Record<string, string>;
}

/** The host is running a program (or loading the engine); the panel shows it without dropping the last trace. */
export interface RunStatusInfo {
  running: boolean;
  file: string | null;
  /** Shown while running, e.g. "Loading the Python runtime…". */
  message?: string;
}

export type ExportFormat = "chrome" | "html" | "text";

/** Zoom window in virtual seconds. */
export interface TimeWindow {
  t0: number;
  t1: number;
}

export type PanelView = "timeline" | "sequence" | "output" | "findings";

/** The webview's own state: kept with `setState`, restored after hiding, reload and re-run. */
export interface PanelViewState {
  view: PanelView;
  window: TimeWindow | null;
  selectedTask: number | null;
  /** Event seq of the selected timeline item. */
  selectedSeq: number | null;
  /** Index into the sequence steps (playback position); -1 before the first step. */
  step: number;
  /** File of the trace the state belongs to: zoom and selection are kept only for the same file. */
  file: string | null;
}

export const DEFAULT_VIEW_STATE: PanelViewState = {
  view: "timeline",
  window: null,
  selectedTask: null,
  selectedSeq: null,
  step: -1,
  file: null,
};

/** What the webview currently displays, for tests and the "panel state" command. */
export interface PanelSnapshot {
  file: string | null;
  runId: number | null;
  view: PanelView;
  /** Lane titles in display order (the loop lane first). */
  lanes: { id: string; title: string; subtitle: string }[];
  totalLabel: string;
  window: TimeWindow | null;
  step: number;
  stepCount: number;
  selectedSeq: number | null;
  findings: number;
}

// ---------------------------------------------------------------- host -> webview

/** A (new) trace to show. Keeps zoom and selection when it is a re-run of the same file. */
export interface DidLoadTraceNotification {
  type: "didLoadTrace";
  payload: TracePayload;
}

/** A run started or ended. */
export interface DidChangeRunStatusNotification {
  type: "didChangeRunStatus";
  status: RunStatusInfo;
}

/** Move playback to a step (from the host, e.g. a test or a keybinding). */
export interface DidRequestStepNotification {
  type: "didRequestStep";
  step: number;
}

/** Select a finding by index into the payload's findings (e.g. from the Problems panel). */
export interface DidRequestFindingNotification {
  type: "didRequestFinding";
  index: number;
}

/** Asks the webview for a `PanelSnapshot`; answered by `SnapshotReply` with the same id. */
export interface SnapshotRequest {
  type: "snapshotRequest";
  id: number;
}

/** Simulates a click on the bar for an event seq (tests: "clicking a bar reveals the line"). */
export interface DidRequestClickNotification {
  type: "didRequestClick";
  seq: number;
}

export type ToWebview =
  | DidLoadTraceNotification
  | DidChangeRunStatusNotification
  | DidRequestStepNotification
  | DidRequestFindingNotification
  | DidRequestClickNotification
  | SnapshotRequest;

// ---------------------------------------------------------------- webview -> host

/** The webview has loaded and listens for messages. */
export interface ReadyNotification {
  type: "ready";
}

/** Reveal (and select) a source line in the editor: a clicked bar, finding or output line. */
export interface RevealLocationCommand {
  type: "revealLocation";
  location: SourceLocation;
  /** True to move focus to the editor (a click); false to only scroll (hover, playback). */
  focusEditor: boolean;
}

/** Highlight the lines a task ran (selecting a task lane); `task: null` clears. */
export interface HighlightTaskCommand {
  type: "highlightTask";
  task: number | null;
  lines: SourceLocation[];
}

/** Playback moved: the editor decorates `location` with `text`; `location: null` clears. */
export interface StepChangedNotification {
  type: "stepChanged";
  step: number;
  location: SourceLocation | null;
  /** e.g. "Task-2 · await asyncio.sleep(3) · t=0.0 s" */
  text: string;
}

export interface RerunCommand {
  type: "rerun";
}

export interface StopCommand {
  type: "stop";
}

export interface ExportCommand {
  type: "export";
  format: ExportFormat | null;
}

export interface SnapshotReply {
  type: "snapshotReply";
  id: number;
  snapshot: PanelSnapshot;
}

export type FromWebview =
  | ReadyNotification
  | RevealLocationCommand
  | HighlightTaskCommand
  | StepChangedNotification
  | RerunCommand
  | StopCommand
  | ExportCommand
  | SnapshotReply;

// ---------------------------------------------------------------- validation

const TO_WEBVIEW_TYPES: ReadonlySet<string> = new Set<ToWebview["type"]>([
  "didLoadTrace",
  "didChangeRunStatus",
  "didRequestStep",
  "didRequestFinding",
  "didRequestClick",
  "snapshotRequest",
]);

const FROM_WEBVIEW_TYPES: ReadonlySet<string> = new Set<FromWebview["type"]>([
  "ready",
  "revealLocation",
  "highlightTask",
  "stepChanged",
  "rerun",
  "stop",
  "export",
  "snapshotReply",
]);

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null;
}

function isLocation(x: unknown): x is SourceLocation {
  return isObject(x) && typeof x.file === "string" && typeof x.line === "number" && Number.isInteger(x.line) && x.line >= 1;
}

/** Checks a message that arrived from the webview; webview content is never trusted blindly. */
export function isFromWebview(x: unknown): x is FromWebview {
  if (!isObject(x) || typeof x.type !== "string" || !FROM_WEBVIEW_TYPES.has(x.type)) return false;
  switch (x.type as FromWebview["type"]) {
    case "revealLocation":
      return isLocation(x.location) && typeof x.focusEditor === "boolean";
    case "highlightTask":
      return (x.task === null || typeof x.task === "number") && Array.isArray(x.lines) && x.lines.every(isLocation);
    case "stepChanged":
      return typeof x.step === "number" && (x.location === null || isLocation(x.location)) && typeof x.text === "string";
    case "export":
      return x.format === null || x.format === "chrome" || x.format === "html" || x.format === "text";
    case "snapshotReply":
      return typeof x.id === "number" && isObject(x.snapshot);
    default:
      return true;
  }
}

/** Checks a message that arrived from the host. */
export function isToWebview(x: unknown): x is ToWebview {
  if (!isObject(x) || typeof x.type !== "string" || !TO_WEBVIEW_TYPES.has(x.type)) return false;
  switch (x.type as ToWebview["type"]) {
    case "didLoadTrace":
      return isObject(x.payload) && isObject(x.payload.trace) && Array.isArray(x.payload.findings) && typeof x.payload.runId === "number";
    case "didChangeRunStatus":
      return isObject(x.status) && typeof x.status.running === "boolean";
    case "didRequestStep":
      return typeof x.step === "number";
    case "didRequestFinding":
      return typeof x.index === "number";
    case "didRequestClick":
      return typeof x.seq === "number";
    case "snapshotRequest":
      return typeof x.id === "number";
    default:
      return false;
  }
}

// ---------------------------------------------------------------- embedded first payload

/** The element id of the `<script type="application/json">` that carries the first payload. */
export const EMBEDDED_PAYLOAD_ID = "asyncio-trace-payload";

/** What the page carries: the first trace (or null for an empty panel) and whether it is the standalone export. */
export interface EmbeddedPayload {
  payload: TracePayload | null;
  standalone: boolean;
  /** UI language: "en" or "zh-tw". */
  locale: string;
}

/**
 * JSON for an inline `<script type="application/json">`. `<`, `>`, `&` and the JS line
 * separators are escaped so program output such as `</script>` cannot end the element early.
 */
export function encodeEmbeddedPayload(p: EmbeddedPayload): string {
  return JSON.stringify(p).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

export function decodeEmbeddedPayload(text: string): EmbeddedPayload {
  const parsed: unknown = JSON.parse(text);
  if (!isObject(parsed) || typeof parsed.standalone !== "boolean") throw new Error("bad embedded payload");
  const payload = parsed.payload;
  if (payload !== null && !(isObject(payload) && isObject(payload.trace) && Array.isArray(payload.findings))) {
    throw new Error("bad embedded payload");
  }
  return parsed as unknown as EmbeddedPayload;
}
