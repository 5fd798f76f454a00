/**
 * The embedded engine: CPython compiled to WebAssembly (Pyodide), run in a worker thread so the
 * extension host and the CLI never block. This is the only host-side file that knows Pyodide exists;
 * its API is touched only inside ./embeddedWorker.ts.
 *
 * One interpreter per run, then it is discarded: task numbering, modules, globals and warning
 * registries cannot leak from one run into the next. To keep that cheap, interpreters are restored
 * from a memory snapshot (built with the extension, or lazily into a cache folder) and a warm spare
 * is loaded in the background after each run, so only the first run of a session pays the load.
 */
import { Worker } from "node:worker_threads";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import {
  EXIT_BUDGET,
  EXIT_ENGINE_ERROR,
  EXIT_STOPPED,
  type RunStatus,
  type Trace,
} from "../core/trace/schema";
import { hostTrace } from "../core/trace/hostTrace";
import { DEFAULT_BUDGET_SECONDS, DEFAULT_OUTPUT_CAP_BYTES, DEFAULT_SIMULATED_LATENCY, type Engine, type RunRequest } from "./types";
import {
  CONTROL_INTERRUPT,
  CONTROL_PHASE,
  CONTROL_SLOTS,
  PHASE_PROGRAM_RUNNING,
  PHASE_SETTING_UP,
  PHASE_WRITING_TRACE,
  SIGNAL_BUDGET,
  SIGNAL_STOP,
  wasmApi,
  type CompiledWasm,
  type HostToWorker,
  type RuntimeParts,
  type WorkerInit,
  type WorkerRunRequest,
  type WorkerToHost,
} from "./embeddedProtocol";
import { createStdinChannel, StdinFeeder } from "./stdinChannel";
import { bundledSnapshotPaths, cachedSnapshotPath, pyodideDir, snapshotKey, type SnapshotMeta } from "./pyodideSnapshot";
import { parseTraceJson } from "./traceWire";

const gunzipAsync = promisify(gunzip);
const gzipAsync = promisify(gzip);

/** How long a program gets to honour the interrupt (KeyboardInterrupt) before its worker is killed. */
const DEFAULT_STOP_GRACE_MS = 1000;
/** How often a stop is signalled again while the program runs on (see stop() in runOn). */
const RESIGNAL_INTERVAL_MS = 200;
/** CPython would happily read a gigabyte of source; we refuse early with a clear message instead. */
const MAX_PROGRAM_BYTES = 50 * 1024 * 1024;
/**
 * How long a stopped run may go on setting up (the stop ends the program as it starts) or writing its
 * trace (the program is over) before its worker is killed. Writing 200,000 events takes seconds.
 */
const SLOW_PHASE_LIMIT_MS = 60_000;
/** A load that takes longer than this is hung (a plain load takes ~4 s, a restore ~0.5 s, on a busy machine several times that). */
const LOAD_TIMEOUT_MS = 120_000;
/**
 * How long a run waits for its interpreter before giving up (at least this, or the run's budget when
 * that is longer). The budget itself starts when the program does, so a run ends within this wait +
 * budget + stop grace whatever the program does; an interpreter that arrives late becomes the spare.
 */
const DEFAULT_LOAD_WAIT_MS = 8_000;
/** Limits for each interpreter's thread. WebAssembly memory is outside the JS heap (wasm32 caps it at 4 GB). */
const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 64, stackSizeMb: 16 };

export interface EmbeddedEngineOptions {
  /** Folder holding embeddedWorker.js, pyodide/ and python/. Defaults to the running bundle's folder. */
  distDir?: string;
  /** Where a snapshot is built when the bundled one is missing or stale. Defaults to a folder in the OS temp dir. */
  cacheDir?: string;
  /** Keep a loaded interpreter ready for the next run (default true). */
  keepSpare?: boolean;
  /** Milliseconds between the interrupt and killing the worker (default 1000). */
  stopGraceMs?: number;
  /** Build a snapshot into cacheDir when none matches (default true). */
  buildMissingSnapshot?: boolean;
  /** Longest wait for an interpreter before a run gives up, in ms (default: 8000 or the run's budget, whichever is longer). */
  loadWaitMs?: number;
  /** Called with each interpreter's worker as it starts: for diagnostics and fault-injection tests. */
  onWorker?: (worker: Worker) => void;
}

/** How the interpreter used by the last run was obtained; `bench` reports it. */
export interface InterpreterLoad {
  loadMs: number;
  fromSnapshot: boolean;
  pythonVersion: string;
}

interface ReadyInterpreter extends InterpreterLoad {
  worker: Worker;
  control: Int32Array;
}

/** A worker that is loading (or has loaded) one interpreter. */
class PendingInterpreter {
  readonly ready: Promise<ReadyInterpreter>;
  readonly worker: Worker;
  readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));

  constructor(workerPath: string, distDir: string, parts: Promise<RuntimeParts>) {
    const init: WorkerInit = { mode: "interpreter", distDir, control: this.control.buffer as SharedArrayBuffer };
    // The worker's own console is left to the process: piping it (stdout: true) would keep the CLI alive after its run.
    this.worker = new Worker(workerPath, { workerData: init, resourceLimits: WORKER_RESOURCE_LIMITS });
    // An idle interpreter must not keep the CLI's process alive; a run refs its worker while it uses it.
    this.worker.unref();
    void parts.then((resolved) => this.worker.postMessage({ type: "runtime", parts: resolved } satisfies HostToWorker));
    this.ready = new Promise<ReadyInterpreter>((resolvePromise, reject) => {
      const onMessage = (message: WorkerToHost): void => {
        if (message.type === "ready") {
          cleanup();
          resolvePromise({ worker: this.worker, control: this.control, loadMs: message.loadMs, fromSnapshot: message.fromSnapshot, pythonVersion: message.pythonVersion });
        } else if (message.type === "load-failed") {
          cleanup();
          void this.worker.terminate();
          reject(new Error(`The embedded Python runtime failed to load: ${message.message}`));
        }
      };
      const onError = (error: Error): void => {
        cleanup();
        reject(new Error(`The embedded Python runtime failed to load: ${error.message}`));
      };
      const onExit = (code: number): void => {
        cleanup();
        reject(new Error(`The embedded Python runtime exited while loading (code ${code}).`));
      };
      const timeout = setTimeout(() => {
        cleanup();
        void this.worker.terminate();
        reject(new Error(`The embedded Python runtime did not load within ${LOAD_TIMEOUT_MS / 1000} s.`));
      }, LOAD_TIMEOUT_MS);
      timeout.unref();
      const cleanup = (): void => {
        clearTimeout(timeout);
        this.worker.off("message", onMessage);
        this.worker.off("error", onError);
        this.worker.off("exit", onExit);
      };
      this.worker.on("message", onMessage);
      this.worker.on("error", onError);
      this.worker.on("exit", onExit);
    });
    this.ready.catch(() => undefined); // a spare that fails to load is reported when a run takes it
  }
}

export class EmbeddedEngine implements Engine {
  readonly name = "embedded" as const;
  private readonly distDir: string;
  private readonly cacheDir: string;
  private readonly keepSpare: boolean;
  private readonly stopGraceMs: number;
  private readonly buildMissingSnapshot: boolean;
  private readonly loadWaitMs: number | undefined;
  private readonly onWorker: ((worker: Worker) => void) | undefined;
  private snapshot: Promise<Uint8Array | undefined> | undefined;
  private snapshotBuild: Promise<void> | undefined;
  private wasm: Promise<CompiledWasm | undefined> | undefined;
  private spare: PendingInterpreter | undefined;
  private spareStarting: Promise<PendingInterpreter> | undefined;
  private readonly live = new Set<Worker>();
  private disposed = false;
  private knownPythonVersion: string | undefined;
  /** How the interpreter of the most recent run was loaded. */
  lastLoad: InterpreterLoad | undefined;

  constructor(options: EmbeddedEngineOptions = {}) {
    this.distDir = resolve(options.distDir ?? __dirname);
    this.cacheDir = options.cacheDir ?? join(tmpdir(), "asyncio-trace-cache");
    this.keepSpare = options.keepSpare ?? true;
    this.stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    this.buildMissingSnapshot = options.buildMissingSnapshot ?? true;
    this.loadWaitMs = options.loadWaitMs;
    this.onWorker = options.onWorker;
  }

  /** Loads an interpreter now so that the next run starts at once. */
  async warm(): Promise<void> {
    if (this.disposed) return;
    const spare = await this.ensureSpare();
    spare.worker.ref();
    try {
      await spare.ready;
    } finally {
      if (this.spare === spare) spare.worker.unref();
    }
  }

  async run(request: RunRequest): Promise<Trace> {
    const file = resolve(request.file);
    const args = request.args ?? [];
    await this.learnPythonVersion();
    if (this.disposed) return this.syntheticTrace(file, args, "engine-error", EXIT_ENGINE_ERROR, 0, "The embedded engine was disposed.", request);
    const refusal = (await checkWorkingFolder(request.cwd)) ?? (request.source === undefined ? await this.checkProgramFile(file, args, request) : undefined);
    if (typeof refusal === "string") return this.syntheticTrace(file, args, "engine-error", EXIT_ENGINE_ERROR, 0, refusal, request);
    if (refusal) return refusal;
    if (request.signal?.aborted) return this.syntheticTrace(file, args, "stopped", EXIT_STOPPED, 0, undefined, request);

    const waitStarted = performance.now();
    const waited = (): number => Math.round(performance.now() - waitStarted);
    const budgetMs = (request.budgetSeconds ?? DEFAULT_BUDGET_SECONDS) * 1000;
    const loadWaitMs = this.loadWaitMs ?? Math.max(DEFAULT_LOAD_WAIT_MS, budgetMs);
    const acquiring = this.acquireInterpreter();
    let interpreter: ReadyInterpreter;
    try {
      const outcome = await settleWithin(
        acquiring.then((pending) => pending.ready),
        loadWaitMs,
        request.signal,
      );
      if (outcome !== "ready") {
        // Not the program's fault, and not wasted: the interpreter keeps loading and serves the next run.
        void acquiring.then((pending) => this.keepAsSpare(pending), () => undefined);
        if (outcome === "aborted") return this.syntheticTrace(file, args, "stopped", EXIT_STOPPED, waited(), undefined, request);
        const message = `The embedded Python runtime did not start within ${(loadWaitMs / 1000).toFixed(1)} s (is the machine busy?), so the program did not run. Try again, or raise the time budget: a run waits for the runtime at least as long as its budget.`;
        return this.syntheticTrace(file, args, "engine-error", EXIT_ENGINE_ERROR, waited(), message, request);
      }
      interpreter = await (await acquiring).ready;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.syntheticTrace(file, args, "engine-error", EXIT_ENGINE_ERROR, waited(), message, request);
    }
    this.knownPythonVersion = interpreter.pythonVersion;
    this.lastLoad = { loadMs: interpreter.loadMs, fromSnapshot: interpreter.fromSnapshot, pythonVersion: interpreter.pythonVersion };
    try {
      // Stopped while the interpreter was loading: the program never starts.
      if (request.signal?.aborted) return this.syntheticTrace(file, args, "stopped", EXIT_STOPPED, 0, undefined, request);
      return await this.runOn(interpreter, file, args, request);
    } finally {
      this.live.delete(interpreter.worker);
      void interpreter.worker.terminate();
      if (!interpreter.fromSnapshot) this.buildSnapshotInBackground();
      if (this.keepSpare && !this.disposed) void this.ensureSpare().catch(() => undefined);
    }
  }

  /** Workers alive right now (the running ones plus the spare); for leak checks. */
  get liveInterpreterCount(): number {
    return this.live.size;
  }

  dispose(): void {
    this.disposed = true;
    for (const worker of this.live) void worker.terminate();
    this.live.clear();
    this.spare = undefined;
  }

  /** The spare, loading or loaded; at most one is ever started at a time. */
  private ensureSpare(): Promise<PendingInterpreter> {
    if (this.spare) return Promise.resolve(this.spare);
    this.spareStarting ??= this.startInterpreter().then(
      (pending) => {
        this.spareStarting = undefined;
        if (this.disposed || this.spare) void pending.worker.terminate();
        else this.spare = pending;
        return this.spare ?? pending;
      },
      (error: unknown) => {
        this.spareStarting = undefined;
        throw error;
      },
    );
    return this.spareStarting;
  }

  /** The spare if there is one, else the one loading, else a new one; its worker is ref'd for the run. */
  private async acquireInterpreter(): Promise<PendingInterpreter> {
    let pending = this.takeSpare();
    if (!pending && this.spareStarting) {
      await this.spareStarting.catch(() => undefined);
      pending = this.takeSpare(); // a concurrent run may have taken it first
    }
    pending ??= await this.startInterpreter();
    pending.worker.ref();
    return pending;
  }

  /** An interpreter a run gave up waiting for: the spare if none is there, else discarded. */
  private keepAsSpare(pending: PendingInterpreter): void {
    if (this.disposed || this.spare || !this.keepSpare) {
      void pending.worker.terminate();
      return;
    }
    pending.worker.unref();
    this.spare = pending;
  }

  private takeSpare(): PendingInterpreter | undefined {
    const spare = this.spare;
    this.spare = undefined;
    return spare;
  }

  private async startInterpreter(): Promise<PendingInterpreter> {
    // Building the snapshot and a plain load would fight over the CPU; restoring afterwards is faster.
    if (this.snapshotBuild) await this.snapshotBuild;
    const parts = Promise.all([this.snapshotBytes(), this.compiledWasm()]).then(([snapshot, wasm]) => ({ snapshot, wasm }));
    const pending = new PendingInterpreter(join(this.distDir, "embeddedWorker.js"), this.distDir, parts);
    this.live.add(pending.worker);
    pending.worker.once("exit", () => {
      this.live.delete(pending.worker);
      if (this.spare === pending) this.spare = undefined; // a spare that died is replaced on the next run
    });
    if (this.disposed) void pending.worker.terminate();
    this.onWorker?.(pending.worker);
    return pending;
  }

  private runOn(interpreter: ReadyInterpreter, file: string, args: string[], request: RunRequest): Promise<Trace> {
    const { worker, control } = interpreter;
    const started = performance.now();
    const budgetSeconds = request.budgetSeconds ?? DEFAULT_BUDGET_SECONDS;
    return new Promise<Trace>((resolvePromise) => {
      let settled = false;
      let stopReason: "budget" | "stopped" | undefined;
      let budgetTimer: NodeJS.Timeout | undefined;
      let graceTimer: NodeJS.Timeout | undefined;
      let stopRequestedAt: number | undefined;
      let resignalTimer: NodeJS.Timeout | undefined;
      const stdinChannel = request.stdin === "inherit" ? createStdinChannel() : undefined;
      const stdinFeeder = stdinChannel ? new StdinFeeder(stdinChannel, () => process.stdin) : undefined;
      const elapsed = (): number => Math.round(performance.now() - started);

      const finish = (trace: Trace): void => {
        if (settled) return;
        settled = true;
        clearTimeout(budgetTimer);
        clearTimeout(graceTimer);
        clearInterval(resignalTimer);
        stdinFeeder?.close();
        request.signal?.removeEventListener("abort", onAbort);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        resolvePromise(trace);
      };
      const engineError = (message: string): void => {
        finish(this.syntheticTrace(file, args, "engine-error", EXIT_ENGINE_ERROR, elapsed(), message, request));
      };
      const stop = (reason: "budget" | "stopped"): void => {
        if (settled || stopRequestedAt !== undefined) return;
        stopRequestedAt = performance.now();
        // A program that has ended has nothing left to stop: its trace is on the way.
        if (Atomics.load(control, CONTROL_PHASE) !== PHASE_WRITING_TRACE) {
          stopReason = reason;
          const signal = reason === "budget" ? SIGNAL_BUDGET : SIGNAL_STOP;
          Atomics.store(control, CONTROL_INTERRUPT, signal);
          // Repeated while the program runs on: the first can be swallowed (in a __del__, or by the
          // program's own except), and each one raises the stop again (runner._halt_from_signal).
          resignalTimer = setInterval(() => {
            if (Atomics.load(control, CONTROL_PHASE) === PHASE_PROGRAM_RUNNING) Atomics.compareExchange(control, CONTROL_INTERRUPT, 0, signal);
          }, RESIGNAL_INTERVAL_MS);
        }
        graceTimer = setTimeout(afterGrace, this.stopGraceMs);
      };
      const afterGrace = (): void => {
        const phase = Atomics.load(control, CONTROL_PHASE);
        // Before the program starts, the stop ends it as it starts; after it ends, the trace is being
        // written (a large one takes seconds on a busy machine). Neither is a program ignoring the stop.
        if (phase !== PHASE_PROGRAM_RUNNING && performance.now() - stopRequestedAt! < SLOW_PHASE_LIMIT_MS) {
          graceTimer = setTimeout(afterGrace, this.stopGraceMs);
          return;
        }
        void worker.terminate();
        if (phase === PHASE_SETTING_UP) {
          engineError(`The embedded engine took more than ${SLOW_PHASE_LIMIT_MS / 1000} s to set up the run, so the program never started; it was terminated.`);
          return;
        }
        if (phase === PHASE_WRITING_TRACE || !stopReason) {
          engineError(`The embedded engine took more than ${SLOW_PHASE_LIMIT_MS / 1000} s to write the trace after the program ended; it was terminated.`);
          return;
        }
        // The program ignored KeyboardInterrupt or is stuck where Python cannot see it.
        const message =
          stopReason === "budget"
            ? `asyncio-trace: the program ran past its ${budgetSeconds} s wall-clock budget and did not stop when interrupted; it was terminated.\n`
            : "asyncio-trace: the program did not stop when interrupted; it was terminated.\n";
        const exitCode = stopReason === "budget" ? EXIT_BUDGET : EXIT_STOPPED;
        finish(this.syntheticTrace(file, args, stopReason, exitCode, elapsed(), undefined, request, message));
      };
      const onAbort = (): void => stop("stopped");
      const onMessage = (message: WorkerToHost): void => {
        if (message.type === "program-started") {
          // The budget is the program's: it does not count the time the worker took to get here.
          clearTimeout(budgetTimer);
          if (stopRequestedAt === undefined) budgetTimer = setTimeout(() => stop("budget"), budgetSeconds * 1000);
        } else if (message.type === "stdin-wanted") {
          stdinFeeder?.wanted();
        } else if (message.type === "output") {
          request.onOutput?.(message.stream, message.chunk);
        } else if (message.type === "done") {
          let trace: Trace;
          try {
            trace = parseTraceJson(new TextDecoder().decode(message.trace));
          } catch (error) {
            engineError(`The tracer returned an unreadable trace (${(error as Error).message}).`);
            return;
          }
          trace.engine = "embedded";
          if (typeof trace.exitCode !== "number") trace.exitCode = message.exitCode;
          finish(trace);
        } else if (message.type === "engine-error") {
          engineError(`The embedded Python runtime failed during the run: ${message.message}`);
        }
      };
      const onError = (error: Error): void => {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === "ERR_WORKER_OUT_OF_MEMORY" ? "it ran out of memory" : error.message;
        engineError(`The embedded Python runtime crashed during the run: ${why}`);
      };
      const onExit = (exitCode: number): void => {
        if (this.disposed) {
          finish(this.syntheticTrace(file, args, "stopped", EXIT_STOPPED, elapsed(), undefined, request, "asyncio-trace: the run was cancelled because the engine shut down.\n"));
          return;
        }
        engineError(`The embedded Python runtime stopped unexpectedly during the run (worker exit code ${exitCode}).`);
      };

      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      request.signal?.addEventListener("abort", onAbort, { once: true });
      // Restarted with the budget when the program starts; until then it guards a worker that never gets there.
      budgetTimer = setTimeout(() => stop("budget"), budgetSeconds * 1000 + SLOW_PHASE_LIMIT_MS);

      const workerRequest: WorkerRunRequest = {
        file,
        source: request.source ?? null,
        args,
        cwd: resolve(request.cwd ?? process.cwd()),
        budgetSeconds,
        outputCapBytes: request.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES,
        simulatedLatency: request.simulatedLatency ?? DEFAULT_SIMULATED_LATENCY,
        topLevelAwait: request.topLevelAwait === true,
        stdin: stdinChannel ? { kind: "inherit", channel: stdinChannel } : request.stdin === undefined ? { kind: "empty" } : { kind: "text", text: request.stdin },
      };
      worker.postMessage({ type: "run", request: workerRequest } satisfies HostToWorker);
    });
  }

  /** What `python3 FILE` says before running anything: missing file, a folder, unreadable, or too large. */
  private async checkProgramFile(file: string, args: string[], request: RunRequest): Promise<Trace | undefined> {
    let message: string | undefined;
    let exitCode = 2;
    try {
      const info = await stat(file);
      if (info.isDirectory()) {
        message = `python3: can't find '__main__' module in '${file}'\n`;
        exitCode = 1;
      } else if (info.size > MAX_PROGRAM_BYTES) {
        message = `asyncio-trace: can't run '${file}': it is ${(info.size / 1048576).toFixed(0)} MB, and the embedded engine takes programs up to ${MAX_PROGRAM_BYTES / 1048576} MB\n`;
      } else {
        const handle = await open(file, "r");
        await handle.close();
      }
    } catch (error) {
      message = `python3: can't open file '${file}': ${errnoText(error as NodeJS.ErrnoException)}\n`;
    }
    if (message === undefined) return undefined;
    return this.syntheticTrace(file, args, "ok", exitCode, 0, undefined, request, message);
  }

  /** Until an interpreter reports its version, Pyodide's lock file says which CPython it carries. */
  private async learnPythonVersion(): Promise<void> {
    if (this.knownPythonVersion) return;
    try {
      const lock = JSON.parse(await readFile(join(pyodideDir(this.distDir), "pyodide-lock.json"), "utf8")) as { info?: { python?: string } };
      this.knownPythonVersion ??= lock.info?.python;
    } catch {
      // stays "unknown" in traces made before any interpreter loaded
    }
  }

  /** A trace for a run that produced none of its own: refused before starting, killed, or failed in the engine. */
  private syntheticTrace(
    file: string,
    args: string[],
    status: RunStatus,
    exitCode: number,
    wallMs: number,
    engineError: string | undefined,
    request: RunRequest,
    stderrText?: string,
  ): Trace {
    const text = stderrText ?? (engineError ? `asyncio-trace: ${engineError}\n` : undefined);
    if (text) request.onOutput?.("stderr", text);
    return hostTrace({
      engine: "embedded",
      pythonVersion: this.knownPythonVersion ?? "unknown",
      file,
      argv: [file, ...args],
      status,
      exitCode,
      wallMs,
      engineError,
      events: text ? [{ kind: "output", seq: 0, t: 0, wallMs, stream: "stderr", text, task: null }] : [],
    });
  }

  /** Pyodide's wasm, compiled once per process and shared by every worker (undefined: each worker compiles it). */
  private compiledWasm(): Promise<CompiledWasm | undefined> {
    this.wasm ??= readFile(join(pyodideDir(this.distDir), "pyodide.asm.wasm"))
      .then((bytes) => wasmApi().compile(bytes))
      .catch(() => undefined);
    return this.wasm;
  }

  /** The raw snapshot shared by every worker (one SharedArrayBuffer, no copy per interpreter), or undefined. */
  private snapshotBytes(): Promise<Uint8Array | undefined> {
    this.snapshot ??= this.readSnapshot().catch(() => undefined);
    return this.snapshot;
  }

  /**
   * Prefers the raw copy in the cache folder (reading 31 MB costs less than gunzipping 6 MB, and
   * every CLI run is a cold start), then the bundled gzipped snapshot, which it then caches raw.
   */
  private async readSnapshot(): Promise<Uint8Array | undefined> {
    const key = snapshotKey(this.distDir);
    const cached = cachedSnapshotPath(this.cacheDir, key);
    const fromCache = await readIntoSharedMemory(cached).catch(() => undefined);
    if (fromCache) return fromCache;
    const bundled = bundledSnapshotPaths(this.distDir);
    let gzipped: Buffer;
    try {
      const meta = JSON.parse(await readFile(bundled.meta, "utf8")) as SnapshotMeta;
      if (meta.key !== key) return undefined;
      gzipped = await readFile(bundled.data);
    } catch {
      return undefined;
    }
    const raw = await gunzipAsync(gzipped);
    void cacheSnapshot(cached, raw);
    const shared = new Uint8Array(new SharedArrayBuffer(raw.length));
    shared.set(raw);
    return shared;
  }

  /** After a plain (slow) load, build the missing snapshot once so later interpreters restore fast. */
  private buildSnapshotInBackground(): void {
    if (!this.buildMissingSnapshot || this.snapshotBuild || this.disposed) return;
    this.snapshotBuild = buildSnapshot(this.distDir, { background: true })
      .then(async ({ key, raw }) => {
        await cacheSnapshot(cachedSnapshotPath(this.cacheDir, key), raw);
        this.snapshot = undefined; // the next interpreter picks it up
      })
      .catch(() => undefined);
  }
}

/** Waits for `promise` (its rejection is rethrown) until `ms` have passed or `signal` aborts. */
async function settleWithin(promise: Promise<unknown>, ms: number, signal: AbortSignal | undefined): Promise<"ready" | "timeout" | "aborted"> {
  if (signal?.aborted) return "aborted";
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      promise.then(() => "ready" as const),
      new Promise<"timeout">((resolvePromise) => (timer = setTimeout(() => resolvePromise("timeout"), ms))),
      new Promise<"aborted">((resolvePromise) => {
        onAbort = () => resolvePromise("aborted");
        signal?.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

async function readIntoSharedMemory(path: string): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const shared = new Uint8Array(new SharedArrayBuffer(size));
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(shared, offset, size - offset, offset);
      if (bytesRead === 0) throw new Error(`${path} is shorter than it said`);
      offset += bytesRead;
    }
    return shared;
  } finally {
    await handle.close();
  }
}

/**
 * Writes atomically (readers never see half a snapshot, even with several processes racing) and
 * removes snapshots for other keys: each is 31 MB, and every change to the Python sources makes one.
 */
async function cacheSnapshot(target: string, data: Uint8Array): Promise<void> {
  try {
    const folder = dirname(target);
    await mkdir(folder, { recursive: true });
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, data);
    await rename(temporary, target);
    for (const name of await readdir(folder)) {
      if (name.startsWith("pyodide-snapshot-") && !name.endsWith(".tmp") && join(folder, name) !== target) await rm(join(folder, name), { force: true });
    }
  } catch {
    // the cache is an optimisation: without it the next load gunzips or loads plainly
  }
}

/** Loads Pyodide plainly in a worker, preloads asyncio and the tracer, and returns the raw memory snapshot. */
export function buildSnapshot(distDir: string, options: { background?: boolean } = {}): Promise<{ key: string; raw: Uint8Array; meta: SnapshotMeta }> {
  const init: WorkerInit = { mode: "make-snapshot", distDir, control: new SharedArrayBuffer(CONTROL_SLOTS * 4) };
  const worker = new Worker(join(distDir, "embeddedWorker.js"), { workerData: init, resourceLimits: WORKER_RESOURCE_LIMITS });
  if (options.background) worker.unref();
  return new Promise((resolvePromise, reject) => {
    const fail = (error: Error): void => {
      worker.removeAllListeners();
      void worker.terminate();
      reject(error);
    };
    worker.on("message", (message: WorkerToHost) => {
      if (message.type === "snapshot") {
        worker.removeAllListeners();
        void worker.terminate();
        resolvePromise({ key: message.key, raw: message.bytes, meta: { key: message.key, pyodideVersion: message.pyodideVersion, rawBytes: message.bytes.length } });
      } else if (message.type === "load-failed") {
        fail(new Error(message.message));
      }
    });
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`snapshot worker exited with code ${code}`)));
  });
}

/** Writes the snapshot that ships with the extension (dist/pyodide/snapshot.bin.gz + snapshot.json). Skips when current. */
export async function writeBundledSnapshot(distDir: string): Promise<{ built: boolean; key: string; bytes: number }> {
  const paths = bundledSnapshotPaths(distDir);
  const key = snapshotKey(distDir);
  try {
    const meta = JSON.parse(await readFile(paths.meta, "utf8")) as SnapshotMeta;
    const data = await stat(paths.data);
    if (meta.key === key && data.size > 0) return { built: false, key, bytes: data.size };
  } catch {
    // missing or unreadable: build it
  }
  const built = await buildSnapshot(distDir);
  const gzipped = await gzipAsync(built.raw, { level: 6 });
  await writeFile(paths.data, gzipped);
  await writeFile(paths.meta, JSON.stringify(built.meta, null, 2) + "\n");
  return { built: true, key: built.key, bytes: gzipped.length };
}

/**
 * Cold start as a user meets it: a new engine, one run of `file`, timed from construction to the
 * trace. Then one warm run on the spare. For `asyncio-trace bench`.
 */
export async function measureColdStart(options: { file: string; distDir?: string }): Promise<{ coldMs: number; warmMs: number; load: InterpreterLoad | undefined }> {
  const started = performance.now();
  const engine = new EmbeddedEngine({ distDir: options.distDir });
  try {
    await engine.run({ file: options.file });
    const coldMs = performance.now() - started;
    const load = engine.lastLoad;
    await engine.warm();
    const warmStarted = performance.now();
    await engine.run({ file: options.file });
    return { coldMs, warmMs: performance.now() - warmStarted, load };
  } finally {
    engine.dispose();
  }
}

/** Why `cwd` cannot be the program's working folder, or undefined when it can (or is not given). */
export async function checkWorkingFolder(cwd: string | undefined): Promise<string | undefined> {
  if (cwd === undefined) return undefined;
  try {
    if ((await stat(cwd)).isDirectory()) return undefined;
    return `The working folder '${cwd}' is not a folder.`;
  } catch (error) {
    return `The working folder '${cwd}' cannot be used: ${errnoText(error as NodeJS.ErrnoException)}.`;
  }
}

function errnoText(error: NodeJS.ErrnoException): string {
  const texts: Record<string, [number, string]> = {
    ENOENT: [2, "No such file or directory"],
    EACCES: [13, "Permission denied"],
    EISDIR: [21, "Is a directory"],
    ENOTDIR: [20, "Not a directory"],
    ELOOP: [40, "Too many levels of symbolic links"],
    ENAMETOOLONG: [36, "File name too long"],
  };
  const known = error.code ? texts[error.code] : undefined;
  return known ? `[Errno ${known[0]}] ${known[1]}` : error.message;
}
