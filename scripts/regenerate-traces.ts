// Regenerates the golden traces in test/fixtures/traces/ from real programs, run under CPython
// (python3) with the project's tracer, exactly as the local engine runs them (the contract in
// src/engine/python/README.md: config in ASYNCIO_TRACE_CONFIG, phase lines and the trace JSON on fd 3).
// Run after `node esbuild.mjs && npx tsc -p tsconfig.test.json`:
//   node out/scripts/regenerate-traces.js [python3]
// The panel's unit and browser tests read these files; regenerate them when the tracer changes.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Trace } from "../src/core/trace/schema";
import { splitTracePipe } from "../src/engine/local";
import { parseTraceJson } from "../src/engine/traceWire";

const ROOT = path.resolve(__dirname, "..", "..");

/** [fixture name, program path relative to the repository]. */
export const TRACE_FIXTURES: [string, string][] = [
  ["gather_two_downloads", "examples/gather_two_downloads.py"],
  ["sync_downloads", "examples/sync_downloads.py"],
  ["blocking_sleep", "examples/blocking_sleep.py"],
  ["create_task_workers", "examples/create_task_workers.py"],
  ["producer_consumer", "examples/producer_consumer.py"],
  ["forgot_await", "examples/forgot_await.py"],
  ["wait_for_timeout", "examples/wait_for_timeout.py"],
  ["task_group", "examples/task_group.py"],
  ["deadlock_queue", "test/fixtures/findings/deadlock_queue.py"],
  ["exception_never_retrieved", "test/fixtures/findings/exception_never_retrieved.py"],
];

/** Runs one program under CPython with the tracer; returns its trace. */
export function traceWithPython(file: string, python = "python3"): Trace {
  const tmp = path.join(os.tmpdir(), `asyncio-trace-fixture-${process.pid}.json`);
  const config = {
    file,
    source: null,
    args: [],
    engine: "local",
    budget_seconds: 20,
    output_cap_bytes: 1024 * 1024,
    max_events: 200_000,
    simulated_latency: 0.1,
  };
  // fd 3 is redirected to a file by the shell so the trace never mixes with program output.
  const r = spawnSync("sh", ["-c", `exec "$0" "$1" 3>"$2"`, python, path.join(ROOT, "dist", "python", "run_traced.py"), tmp], {
    env: { ...process.env, ASYNCIO_TRACE_CONFIG: JSON.stringify(config) },
    cwd: path.dirname(file),
    encoding: "utf8",
    timeout: 60_000,
  });
  try {
    // Ahead of the trace, fd 3 carries the phase lines the local engine times the run by.
    return parseTraceJson(splitTracePipe(readFileSync(tmp, "utf8")).trace);
  } catch (e) {
    throw new Error(`no trace for ${file} (exit ${r.status}): ${r.stderr}\n${String(e)}`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

async function main(): Promise<void> {
  const python = process.argv[2] ?? "python3";
  const outDir = path.join(ROOT, "test", "fixtures", "traces");
  mkdirSync(outDir, { recursive: true });
  for (const [name, rel] of TRACE_FIXTURES) {
    const trace = traceWithPython(path.join(ROOT, rel), python);
    writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(trace, null, 1) + "\n");
    process.stdout.write(`${name}: ${trace.status}, ${trace.tasks.length} tasks, ${trace.events.length} events, ${trace.virtualTime} s\n`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
