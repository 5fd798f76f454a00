/** Messages between the embedded engine (host thread) and its Pyodide worker. One worker serves one run. */

/** Slots of the shared control array (Int32Array over a SharedArrayBuffer). */
export const CONTROL_INTERRUPT = 0; // Pyodide's interrupt buffer: a signal number, read and cleared by the interpreter
export const CONTROL_PHASE = 1; // where the run is (PHASE_*), written by the worker
export const CONTROL_SLOTS = 2;

/**
 * Values of the phase slot. Only while the program runs can it ignore an interrupt: before, a stop
 * waits for the program to start and ends it at once; after, the interpreter is writing the trace.
 */
export const PHASE_SETTING_UP = 0;
export const PHASE_PROGRAM_RUNNING = 1;
export const PHASE_WRITING_TRACE = 2;

/** Signal numbers the host writes into the interrupt slot; the worker's Python handlers record why. */
export const SIGNAL_STOP = 2; // SIGINT: the user stopped the run
export const SIGNAL_BUDGET = 10; // SIGUSR1: the wall-clock budget ran out

export interface WorkerInit {
  mode: "interpreter" | "make-snapshot";
  distDir: string;
  control: SharedArrayBuffer;
}

/**
 * Sent by the host once it has them, while the worker is already starting up: the raw (gunzipped)
 * memory snapshot to restore (undefined: plain load) and Pyodide's wasm compiled once per process.
 */
export interface RuntimeParts {
  snapshot?: Uint8Array;
  wasm?: CompiledWasm;
}

/** A WebAssembly.Module. The project's TypeScript lib (ES2022, no DOM) has no WebAssembly types, so we name the little we use. */
export type CompiledWasm = object;

export interface WasmApi {
  Module: abstract new (...args: never[]) => CompiledWasm;
  compile(bytes: Uint8Array): Promise<CompiledWasm>;
  instantiate(source: unknown, imports?: object): Promise<unknown>;
}

export const wasmApi = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** What the worker needs to run one program (RunRequest minus the callbacks, resolved by the host). */
export interface WorkerRunRequest {
  file: string;
  source: string | null;
  args: string[];
  cwd: string;
  budgetSeconds: number;
  outputCapBytes: number;
  simulatedLatency: number;
  /** RunRequest.topLevelAwait: compile as a notebook cell. */
  topLevelAwait: boolean;
  /** "inherit": the host's stdin, read through a stdinChannel.ts channel. */
  stdin: { kind: "empty" } | { kind: "text"; text: string } | { kind: "inherit"; channel: SharedArrayBuffer };
}

export type HostToWorker = { type: "runtime"; parts: RuntimeParts } | { type: "run"; request: WorkerRunRequest };

export type WorkerToHost =
  | { type: "ready"; pythonVersion: string; loadMs: number; fromSnapshot: boolean }
  | { type: "load-failed"; message: string }
  /** The program is starting: its wall-clock budget counts from here. */
  | { type: "program-started" }
  | { type: "output"; stream: "stdout" | "stderr"; chunk: string }
  /** The program reads stdin and the channel is empty: the host should fill it (stdinChannel.ts). */
  | { type: "stdin-wanted" }
  /** `trace` is the trace JSON as UTF-8 (transferred, not copied). */
  | { type: "done"; exitCode: number; trace: Uint8Array }
  | { type: "engine-error"; message: string }
  | { type: "snapshot"; key: string; pyodideVersion: string; bytes: Uint8Array };
