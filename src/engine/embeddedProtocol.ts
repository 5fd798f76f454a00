/** Messages between the embedded engine (host thread) and its Pyodide worker. One worker serves one run. */

/** Slots of the shared control array (Int32Array over a SharedArrayBuffer). */
export const CONTROL_INTERRUPT = 0; // Pyodide's interrupt buffer: a signal number, read and cleared by the interpreter
export const CONTROL_SLOTS = 1;

/** Signal numbers the host writes into the interrupt slot; the worker's Python handlers record why. */
export const SIGNAL_STOP = 2; // SIGINT: the user stopped the run
export const SIGNAL_BUDGET = 10; // SIGUSR1: the wall-clock budget ran out

export interface WorkerInit {
  mode: "interpreter" | "make-snapshot";
  distDir: string;
  /** Raw (gunzipped) memory snapshot to restore, or undefined for a plain load. */
  snapshot?: Uint8Array;
  control: SharedArrayBuffer;
}

/** What the worker needs to run one program (RunRequest minus the callbacks, resolved by the host). */
export interface WorkerRunRequest {
  file: string;
  source: string | null;
  args: string[];
  cwd: string;
  budgetSeconds: number;
  outputCapBytes: number;
  simulatedLatency: number;
  stdin: { kind: "empty" } | { kind: "text"; text: string } | { kind: "inherit" };
}

export type HostToWorker = { type: "run"; request: WorkerRunRequest };

export type WorkerToHost =
  | { type: "ready"; pythonVersion: string; loadMs: number; fromSnapshot: boolean }
  | { type: "load-failed"; message: string }
  | { type: "output"; stream: "stdout" | "stderr"; chunk: string }
  | { type: "done"; exitCode: number; traceJson: string }
  | { type: "engine-error"; message: string }
  | { type: "snapshot"; key: string; pyodideVersion: string; bytes: Uint8Array };
