import type { Trace } from "../core/trace/schema";

/** What to run and under which limits. Shared by both engines, the CLI and the extension. */
export interface RunRequest {
  /** Absolute path of the program. The program sees this as `__file__` and in tracebacks. */
  file: string;
  /** Program text to run instead of the file's content (unsaved editor buffer, notebook cell). */
  source?: string;
  /** Compile like a notebook cell: top-level await runs on the traced loop. */
  topLevelAwait?: boolean;
  /** sys.argv[1:] for the program. */
  args?: string[];
  /**
   * The program's working folder (relative paths in open() resolve against it). Default: this
   * process's cwd, as with `python3 FILE`; the extension passes the file's workspace folder.
   */
  cwd?: string;
  /** Wall-clock budget in seconds (default 10). */
  budgetSeconds?: number;
  /** Program output (stdout + stderr) kept before a truncation marker is printed (default 1 MiB). */
  outputCapBytes?: number;
  /** Simulated network latency for the aiohttp/requests/httpx shims, in seconds (default 0.1). */
  simulatedLatency?: number;
  /**
   * Standard input for `input()`: a string to serve, or "inherit" to read this process's stdin
   * (the CLI). Undefined means an empty stdin (input() raises EOFError, as with `< /dev/null`).
   */
  stdin?: string | "inherit";
  /** Streams program output as it is produced (the CLI forwards it to its own stdout/stderr). */
  onOutput?: (stream: "stdout" | "stderr", chunk: string) => void;
  /** Aborting stops the run: it resolves with status "stopped". */
  signal?: AbortSignal;
}

export interface Engine {
  readonly name: "embedded" | "local";
  /** Runs the program and resolves with its trace. Never rejects for program errors: those are in the trace. */
  run(request: RunRequest): Promise<Trace>;
  /** Loads the runtime ahead of the first run (no-op for engines that have nothing to warm). */
  warm?(): Promise<void>;
  dispose(): void;
}

export const DEFAULT_BUDGET_SECONDS = 10;
export const DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;
export const DEFAULT_SIMULATED_LATENCY = 0.1;
