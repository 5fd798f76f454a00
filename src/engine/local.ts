import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RunStatus, Trace } from "../core/trace/schema";
import { EXIT_BUDGET, EXIT_ENGINE_ERROR, EXIT_STOPPED } from "../core/trace/schema";
import { hostTrace } from "../core/trace/hostTrace";
import { parseTraceJson } from "./traceWire";
import type { Engine, RunRequest } from "./types";
import { DEFAULT_BUDGET_SECONDS, DEFAULT_OUTPUT_CAP_BYTES, DEFAULT_SIMULATED_LATENCY } from "./types";

export interface LocalEngineOptions {
  /** Interpreter to run (default `python3`). */
  python?: string;
  /** Folder holding `python/run_traced.py` (dist/ after a build); found automatically when omitted. */
  distDir?: string;
  /** Real seconds a program gets to stop after its budget or a stop request before it is killed (default 2). */
  killGraceSeconds?: number;
}

/** The oldest CPython the tracer supports. */
export const MIN_PYTHON: readonly [number, number] = [3, 11];
const DEFAULT_MAX_EVENTS = 200_000;
/** Real seconds past the budget (or a stop request) before the process is killed outright. */
const KILL_GRACE_SECONDS = 2;
/**
 * Real seconds the interpreter may take to start the program (a cold disk, a large environment) or,
 * once the program has ended, to write its trace, before the process is killed.
 */
const SLOW_PHASE_LIMIT_SECONDS = 60;

/** What run_traced.py writes on file descriptor 3 ahead of the trace JSON, one per line. */
const PHASE_LINES = ["program-started", "program-ended"] as const;
type PhaseLine = (typeof PHASE_LINES)[number];

/** Splits what arrived on file descriptor 3 into the phase lines and the trace JSON after them. */
export function splitTracePipe(text: string): { phases: PhaseLine[]; trace: string } {
  const phases: PhaseLine[] = [];
  let offset = 0;
  for (;;) {
    const end = text.indexOf("\n", offset);
    const line = text.slice(offset, end) as PhaseLine;
    if (end < 0 || !PHASE_LINES.includes(line)) break;
    phases.push(line);
    offset = end + 1;
  }
  return { phases, trace: text.slice(offset) };
}

/** Result of probing an interpreter: its version, or why it cannot be used. */
type PythonProbe = { ok: true; version: string } | { ok: false; message: string; version?: string };

const probes = new Map<string, Promise<PythonProbe>>();

/**
 * Runs programs under the user's own CPython (3.11+) with the same tracer as the embedded engine:
 * `python3 run_traced.py`, config in $ASYNCIO_TRACE_CONFIG, trace JSON on file descriptor 3.
 */
export class LocalEngine implements Engine {
  readonly name = "local" as const;
  private readonly python: string;
  private readonly scriptPath: string | undefined;
  private readonly killGraceSeconds: number;

  constructor(options: LocalEngineOptions = {}) {
    this.python = options.python ?? "python3";
    this.scriptPath = findRunTraced(options.distDir);
    this.killGraceSeconds = options.killGraceSeconds ?? KILL_GRACE_SECONDS;
  }

  async run(request: RunRequest): Promise<Trace> {
    const file = resolve(request.file);
    const argv = [file, ...(request.args ?? [])];
    if (!this.scriptPath) {
      return engineErrorTrace(file, argv, "asyncio-trace's Python files (python/run_traced.py) are missing: run `npm run build`");
    }
    const probe = await probePython(this.python);
    if (!probe.ok) return engineErrorTrace(file, argv, probe.message, probe.version);
    if (request.signal?.aborted) return stoppedTrace(file, argv, probe.version);
    // Checked here: spawn() would report a bad cwd as the interpreter missing (ENOENT).
    if (request.cwd !== undefined && !isFolder(request.cwd)) {
      return engineErrorTrace(file, argv, `the working folder '${request.cwd}' does not exist or is not a folder`, probe.version);
    }
    return this.spawnTraced(request, file, argv, probe.version, this.scriptPath);
  }

  dispose(): void {
    // Each run is its own process; nothing stays alive between runs.
  }

  private spawnTraced(request: RunRequest, file: string, argv: string[], version: string, script: string): Promise<Trace> {
    const budget = request.budgetSeconds ?? DEFAULT_BUDGET_SECONDS;
    const config = {
      file,
      source: request.source ?? null,
      args: request.args ?? [],
      engine: "local",
      budget_seconds: budget,
      output_cap_bytes: request.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES,
      max_events: DEFAULT_MAX_EVENTS,
      simulated_latency: request.simulatedLatency ?? DEFAULT_SIMULATED_LATENCY,
      top_level_await: request.topLevelAwait === true,
    };
    const env: NodeJS.ProcessEnv = { ...process.env, ASYNCIO_TRACE_CONFIG: JSON.stringify(config) };
    // The tracer needs its own folder on sys.path; safe-path mode would drop it.
    delete env.PYTHONSAFEPATH;
    env.PYTHONIOENCODING ??= "utf-8";
    const stdinMode = request.stdin === "inherit" ? "inherit" : request.stdin === undefined ? "ignore" : "pipe";

    return new Promise<Trace>((resolvePromise) => {
      // Paths are made absolute: with a cwd, a relative interpreter or script path would resolve against it.
      const python = this.python.includes("/") ? resolve(this.python) : this.python;
      const child = spawn(python, [resolve(script)], { cwd: request.cwd, env, stdio: [stdinMode, "pipe", "pipe", "pipe"] });
      const traceChunks: Buffer[] = [];
      const stderrTail: string[] = [];
      let killedFor: "budget" | "stopped" | "writing" | undefined;
      let aborted = false;
      let killTimer: NodeJS.Timeout | undefined;
      let settled = false;
      let phase: "setting-up" | PhaseLine = "setting-up";
      let phasesSeen = 0;

      const killAfter = (seconds: number, reason: "budget" | "stopped" | "writing") => {
        if (killTimer) clearTimeout(killTimer);
        killTimer = setTimeout(() => {
          killedFor = reason;
          child.kill("SIGKILL");
        }, seconds * 1000);
      };
      // Until the program starts, this guards an interpreter that never gets there.
      killAfter(budget + SLOW_PHASE_LIMIT_SECONDS, "budget");
      const onPhase = (line: PhaseLine) => {
        phase = line;
        if (line === "program-started") {
          // The budget itself is enforced in-process from here; this kills a program that ignores it.
          if (!aborted) killAfter(budget + this.killGraceSeconds, "budget");
        } else {
          // The program is over, stopped or not: what remains is writing its trace.
          killAfter(SLOW_PHASE_LIMIT_SECONDS, "writing");
        }
      };
      const onAbort = () => {
        if (phase === "program-ended") return; // nothing left to stop; the trace is on the way
        aborted = true;
        child.kill("SIGINT");
        killAfter(this.killGraceSeconds, "stopped");
      };
      request.signal?.addEventListener("abort", onAbort, { once: true });

      if (stdinMode === "pipe" && child.stdin) {
        child.stdin.on("error", () => undefined); // the program may exit without reading its input
        child.stdin.end(request.stdin as string);
      }
      for (const stream of ["stdout", "stderr"] as const) {
        const pipe = child[stream];
        pipe?.setEncoding("utf8");
        pipe?.on("data", (chunk: string) => {
          if (stream === "stderr") {
            stderrTail.push(chunk);
            if (stderrTail.length > 20) stderrTail.shift();
          }
          request.onOutput?.(stream, chunk);
        });
      }
      const traceStream = child.stdio[3];
      traceStream?.on("data", (chunk: Buffer) => {
        traceChunks.push(chunk);
        // Phase lines come before any of the trace, so this reads a few bytes, never the trace.
        if (phase === "program-ended") return;
        const { phases } = splitTracePipe(Buffer.concat(traceChunks).toString("latin1"));
        for (const line of phases.slice(phasesSeen)) onPhase(line);
        phasesSeen = phases.length;
      });

      const finish = (trace: Trace) => {
        if (settled) return;
        settled = true;
        if (killTimer) clearTimeout(killTimer);
        request.signal?.removeEventListener("abort", onAbort);
        resolvePromise(trace);
      };
      child.on("error", (error) => finish(engineErrorTrace(file, argv, `could not start ${this.python}: ${error.message}`, version)));
      child.on("close", (code, signal) => {
        const text = splitTracePipe(Buffer.concat(traceChunks).toString("utf8")).trace;
        if (killedFor === "writing") {
          finish(engineErrorTrace(file, argv, `the Python engine took more than ${SLOW_PHASE_LIMIT_SECONDS} s to write the trace after the program ended, so its process was killed`, version));
          return;
        }
        if (killedFor) {
          const message =
            killedFor === "budget"
              ? `asyncio-trace: stopped after ${budget} s of wall-clock time (the program did not respond, so its process was killed)\n`
              : "asyncio-trace: stopped (the program did not respond, so its process was killed)\n";
          request.onOutput?.("stderr", message);
          finish(haltedTrace(file, argv, version, killedFor, text));
          return;
        }
        try {
          finish(parseTraceJson(text));
        } catch {
          if (aborted) {
            request.onOutput?.("stderr", "asyncio-trace: stopped before the program started\n");
            finish(stoppedTrace(file, argv, version));
            return;
          }
          const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
          const tail = stderrTail.join("").trim().split("\n").slice(-5).join("\n");
          finish(engineErrorTrace(file, argv, `the Python engine ${how} without writing a trace${tail ? `:\n${tail}` : ""}`, version));
        }
      });
    });
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Locates run_traced.py: beside the bundle (dist/python), or in the source tree when run from out/. */
function findRunTraced(distDir: string | undefined): string | undefined {
  const candidates = [
    distDir && join(distDir, "python"),
    join(__dirname, "python"),
    join(__dirname, "..", "python"),
    join(__dirname, "..", "..", "..", "src", "engine", "python"),
    join(__dirname, "..", "..", "..", "dist", "python"),
  ];
  for (const dir of candidates) {
    if (dir && existsSync(join(dir, "run_traced.py"))) return join(dir, "run_traced.py");
  }
  return undefined;
}

/** Checks once per interpreter that it exists and is CPython 3.11 or newer (failures are re-checked next time). */
export function probePython(python: string): Promise<PythonProbe> {
  let probe = probes.get(python);
  if (!probe) {
    probe = runProbe(python);
    probes.set(python, probe);
    void probe.then((result) => {
      if (!result.ok) probes.delete(python);
    });
  }
  return probe;
}

function runProbe(python: string): Promise<PythonProbe> {
  const notFound = `${python} not found: install Python 3.11+ or set asyncioTrace.pythonPath / --python`;
  return new Promise((resolvePromise) => {
    let out = "";
    let child;
    try {
      child = spawn(python, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], { stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      resolvePromise({ ok: false, message: notFound });
      return;
    }
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => (out += chunk));
    child.on("error", () => resolvePromise({ ok: false, message: notFound }));
    child.on("close", (code) => {
      const match = /^(\d+)\.(\d+)\.(\d+)/.exec(out.trim());
      if (code !== 0 || !match) {
        resolvePromise({ ok: false, message: `${python} does not look like a working Python interpreter (it exited with status ${code}): install Python 3.11+ or set asyncioTrace.pythonPath / --python` });
        return;
      }
      const version = match[0];
      const [major, minor] = [Number(match[1]), Number(match[2])];
      if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
        resolvePromise({
          ok: false,
          version,
          message: `${python} is Python ${version}, but asyncio-trace needs Python 3.11 or newer: install a newer Python and set asyncioTrace.pythonPath / --python to it, or use the embedded engine`,
        });
        return;
      }
      resolvePromise({ ok: true, version });
    });
  });
}

function baseTrace(file: string, argv: string[], version: string, status: RunStatus, exitCode: number): Trace {
  return hostTrace({ engine: "local", file, argv, pythonVersion: version, status, exitCode });
}

function engineErrorTrace(file: string, argv: string[], message: string, version = ""): Trace {
  return { ...baseTrace(file, argv, version, "engine-error", EXIT_ENGINE_ERROR), engineError: message };
}

function stoppedTrace(file: string, argv: string[], version: string): Trace {
  return baseTrace(file, argv, version, "stopped", EXIT_STOPPED);
}

/** The process had to be killed: keep whatever partial trace it wrote, with the halt status. */
function haltedTrace(file: string, argv: string[], version: string, status: "budget" | "stopped", partial: string): Trace {
  const exitCode = status === "budget" ? EXIT_BUDGET : EXIT_STOPPED;
  try {
    return { ...parseTraceJson(partial), status, exitCode };
  } catch {
    return baseTrace(file, argv, version, status, exitCode);
  }
}
