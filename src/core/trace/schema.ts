/**
 * The trace: what one run of a Python program did on the virtual clock.
 *
 * The Python tracer (src/engine/python/asyncio_trace/) emits exactly this shape as JSON, for both
 * engines. Everything downstream (CLI text timeline, Chrome trace export, runtime findings, the
 * webview) reads only these types. Times are virtual seconds unless the name says `wallMs`.
 *
 * Conventions:
 * - `line` is 1-based; `file` is the absolute path the program saw (its real path on disk).
 * - Task ids are small integers assigned in creation order starting at 1; they are not CPython's
 *   `id()`. Task names are CPython's (`Task-1`, or whatever `name=` said).
 * - Every event has `seq` (0, 1, 2, ... in emission order), `t` (virtual time when it happened)
 *   and `wallMs` (real milliseconds since the program started, so real-time cost is visible).
 *   Events recorded while a task step runs (its output, the tasks and timers it creates) carry
 *   the step's start as their `wallMs`; the step's own `costMs` says how long it ran. wallMs
 *   never decreases along `seq`.
 */

export const TRACE_SCHEMA_VERSION = 1;

/** How the run ended, as a single word for UIs and exit-status mapping. */
export type RunStatus =
  | "ok" // program finished (any exit code it chose itself, including uncaught exceptions)
  | "deadlock" // nothing ready, no timers: the loop would wait forever (exit 124)
  | "livelock" // busy sleep(0) polling while a timer is pending (exit 125)
  | "budget" // wall-clock budget exhausted (exit 152)
  | "stopped" // stopped by the user (Stop trace / Ctrl-C) (exit 130)
  | "engine-error"; // the engine itself failed (crash, out of memory); see `engineError`

/** Exit statuses the engines use for outcomes that are not the program's own choice. */
export const EXIT_DEADLOCK = 124;
export const EXIT_LIVELOCK = 125;
export const EXIT_STOPPED = 130;
export const EXIT_BUDGET = 152;
export const EXIT_ENGINE_ERROR = 70; // EX_SOFTWARE

export interface SourceLocation {
  file: string;
  line: number;
}

/** What a task step suspended on. `label` is what a user would write: `sleep(3)`, `Task-3`, `Queue.get`. */
export interface AwaitTarget {
  kind:
    | "sleep"
    | "task" // awaiting another Task
    | "gather" // asyncio.gather(...) future
    | "future" // a bare Future
    | "wait" // asyncio.wait / wait_for / as_completed / timeout
    | "queue" // Queue.get / Queue.put / Queue.join
    | "lock" // Lock.acquire / Semaphore.acquire / Condition.wait
    | "event" // Event.wait
    | "barrier"
    | "network" // simulated network I/O from the shims
    | "io" // real I/O (local engine only)
    | "other";
  label: string;
  /** For `sleep`: the requested delay in seconds. */
  delay?: number;
  /** For `task` / `gather` / `wait`: ids of the tasks waited on. */
  tasks?: number[];
  /** For `lock`: the task that holds the lock, when the tracer saw it acquire it. */
  heldBy?: { task: number; name: string };
  /** Where the innermost awaiting coroutine is suspended (may be inside asyncio's own code). */
  location?: SourceLocation;
}

export interface TaskInfo {
  id: number;
  name: string;
  /** The coroutine's qualified name and call, e.g. `fetch('A', 3)` (argument reprs truncated). */
  coro: string;
  /**
   * The task that created it, or null when created outside any task (e.g. by asyncio.run), or when
   * not known: a task built with `asyncio.Task(coro)` directly is taken on when the tracer first
   * sees it (its first step, or a task awaiting it), and its creator is not recorded.
   */
  parent: number | null;
  createdAt: number;
  /**
   * The user-code line that created the task (create_task/gather/asyncio.run call site); for a
   * task built with `asyncio.Task(coro)`, the line that made its coroutine.
   */
  created: SourceLocation | null;
  /** Where the coroutine function is defined. */
  defined: SourceLocation | null;
  end: TaskEnd;
}

/**
 * How a task ended. `location` of an exception is the innermost user line its traceback passes
 * through; of a cancellation, the user line where the task was last suspended (where the
 * CancelledError was thrown in), or where its coroutine is defined if it never started.
 */
export type TaskEnd =
  | { kind: "result"; t: number; repr: string }
  | { kind: "exception"; t: number; type: string; message: string; location: SourceLocation | null; retrieved: boolean }
  | { kind: "cancelled"; t: number; location: SourceLocation | null; atShutdown: boolean }
  | { kind: "pending"; location: SourceLocation | null; awaiting: AwaitTarget | null };

interface EventBase {
  seq: number;
  t: number;
  wallMs: number;
}

export interface TaskCreatedEvent extends EventBase {
  kind: "task-created";
  task: number;
}

/**
 * One step of a task: the event loop called into the task's coroutine, it ran until its next
 * suspension (or its end). `t` is when the step started, `tEnd` when it returned to the loop.
 * `tEnd > t` means virtual time moved during the step, i.e. the step blocked the loop.
 */
export interface TaskStepEvent extends EventBase {
  kind: "step";
  task: number;
  tEnd: number;
  /** Line the coroutine resumed at (for the first step: the def line of its coroutine). */
  resumed: SourceLocation | null;
  /** Line of user code where it suspended again (the innermost user frame on the await chain: the line that actually awaits). */
  suspended: SourceLocation | null;
  /**
   * Line in the task's own coroutine where it is suspended; equals `suspended` when the await is
   * directly in the task's coroutine. (The outermost user frame on the await chain.)
   */
  taskLine?: SourceLocation | null;
  /** What it now waits on; null when the step ended the task. */
  awaiting: AwaitTarget | null;
  /** Real milliseconds the step took. */
  costMs: number;
}

export interface TaskDoneEvent extends EventBase {
  kind: "task-done";
  task: number;
  end: TaskEnd;
}

export interface TimerScheduledEvent extends EventBase {
  kind: "timer-scheduled";
  timer: number;
  when: number;
  /** The task on whose behalf the timer was scheduled (e.g. by its sleep), if any. */
  task: number | null;
  label: string;
}

export interface TimerFiredEvent extends EventBase {
  kind: "timer-fired";
  timer: number;
  /** The task this timer wakes, if it is a task's sleep/timeout. */
  task: number | null;
  label: string;
}

/** The loop had nothing ready and jumped the clock from `t` to `to` (the next timer). */
export interface IdleJumpEvent extends EventBase {
  kind: "idle";
  to: number;
}

/** Something blocked the loop: a `time.sleep`, or a step/callback during which virtual time moved. */
export interface BlockedEvent extends EventBase {
  kind: "blocked";
  tEnd: number;
  task: number | null;
  call: string; // e.g. "time.sleep(3)", "requests.get('https://…')"
  location: SourceLocation | null;
}

/** A plain callback (call_soon / call_later / done callback) that is not a task step. */
export interface CallbackEvent extends EventBase {
  kind: "callback";
  tEnd: number;
  label: string;
  location: SourceLocation | null;
}

export interface OutputEvent extends EventBase {
  kind: "output";
  stream: "stdout" | "stderr";
  text: string;
  task: number | null;
}

export interface WarningEvent extends EventBase {
  kind: "warning";
  category: string; // e.g. "RuntimeWarning"
  message: string;
  location: SourceLocation | null;
  /** For "coroutine ... was never awaited": where the coroutine object was created, and by which task. */
  createdAt?: SourceLocation | null;
  createdBy?: number | null;
}

export interface LogEvent extends EventBase {
  kind: "log";
  logger: string;
  level: string; // "ERROR", "WARNING", ...
  message: string;
  task: number | null;
  location: SourceLocation | null;
}

/** A simulated network request from the aiohttp/requests/httpx shims. */
export interface NetworkEvent extends EventBase {
  kind: "network";
  tEnd: number;
  library: "aiohttp" | "requests" | "httpx";
  method: string;
  url: string;
  status: number;
  task: number | null;
  blocking: boolean;
}

export type TraceEvent =
  | TaskCreatedEvent
  | TaskStepEvent
  | TaskDoneEvent
  | TimerScheduledEvent
  | TimerFiredEvent
  | IdleJumpEvent
  | BlockedEvent
  | CallbackEvent
  | OutputEvent
  | WarningEvent
  | LogEvent
  | NetworkEvent;

export type TraceEventKind = TraceEvent["kind"];

export interface UncaughtException {
  type: string;
  message: string;
  /** The last line CPython prints, e.g. "TypeError: object NoneType can't be used in 'await' expression". */
  line: string;
  location: SourceLocation | null;
  /** For ExceptionGroups: the leaf exceptions, in CPython's print order. */
  exceptions?: UncaughtException[];
}

/** Who waits on what when the loop deadlocked. */
export interface DeadlockWaiter {
  task: number;
  awaiting: AwaitTarget | null;
  location: SourceLocation | null;
}

export interface Trace {
  schema: typeof TRACE_SCHEMA_VERSION;
  engine: "embedded" | "local";
  /** e.g. "3.14.2" */
  pythonVersion: string;
  file: string;
  argv: string[];
  status: RunStatus;
  exitCode: number;
  virtualTime: number;
  /**
   * Real milliseconds the program ran, from its first line to its end (atexit handlers
   * included), on both engines; engine start-up and handing the trace back are not counted.
   * Runs the host ended itself (killed, refused, engine errors) give the host's own measure.
   */
  wallMs: number;
  uncaught: UncaughtException | null;
  deadlock: { waiters: DeadlockWaiter[] } | null;
  livelock: { tasks: number[]; pendingTimerAt: number } | null;
  /** True when aiohttp/requests/httpx calls were served by the simulated network. */
  networkSimulated: boolean;
  /** True when output went past the cap and the rest was dropped (a marker was printed). */
  outputTruncated: boolean;
  /** True when the event list went past its cap and later events were dropped. */
  eventsTruncated: boolean;
  /** Set when status is "engine-error". */
  engineError?: string;
  tasks: TaskInfo[];
  events: TraceEvent[];
}
