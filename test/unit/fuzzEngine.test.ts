// Fuzz: programs mutated from the fixtures run through one engine instance each. Every run must
// end in a result or a clear error within its budget, and the engine must keep working.
//   ASYNCIO_TRACE_FUZZ_ENGINE_RUNS (default 1000, through the local engine: one python3 process
//   per run) and ASYNCIO_TRACE_FUZZ_EMBEDDED_RUNS (default 25: each embedded run restores a
//   fresh interpreter, ~1–3 s) set the counts.
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, type EngineName } from "../../src/engine/createEngine";
import type { RunStatus, Trace } from "../../src/core/trace/schema";
import { mutatedCorpus, REPO } from "./fuzzPrograms";

const SEED = Number(process.env.ASYNCIO_TRACE_FUZZ_SEED ?? 20261124);
// Short: a tenth of the mutants loop forever, and each of those costs the whole budget.
const BUDGET_S = 0.5;
const STATUSES: RunStatus[] = ["ok", "deadlock", "livelock", "budget", "stopped", "engine-error"];

/** Runs `work` over `items` with at most `limit` in flight (the local engine is a process per run). */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

function fuzz(engineName: EngineName, runs: number, seed: number, concurrency: number): void {
  it(`${runs} mutated programs through one ${engineName} engine each end in a result or a clear error within the budget`, async function () {
    this.timeout((runs * 15_000) / concurrency + 60_000);
    const tmp = mkdtempSync(join(tmpdir(), "asyncio-trace-fuzz-"));
    const engine = await createEngine(engineName, { distDir: join(REPO, "dist") });
    const counts: Record<string, number> = {};
    try {
      await pool(mutatedCorpus(runs, seed), concurrency, async (p) => {
        const t0 = Date.now();
        let trace: Trace;
        try {
          trace = await engine.run({ file: join(tmp, "fuzz.py"), source: p.text, budgetSeconds: BUDGET_S, outputCapBytes: 64 * 1024 });
        } catch (e) {
          assert.fail(`${p.name} (${p.did.join(", ")}): run() rejected: ${(e as Error).stack}`);
        }
        const ms = Date.now() - t0;
        // The embedded engine's bound: interpreter wait (at most 8 s) + budget + 1 s stop grace, plus serialisation.
        assert.ok(ms < BUDGET_S * 1000 + 12_000, `${p.name} (${p.did.join(", ")}) took ${ms} ms with a ${BUDGET_S} s budget`);
        assert.ok(STATUSES.includes(trace.status), `${p.name}: unknown status ${trace.status}`);
        if (trace.status === "engine-error") assert.ok((trace.engineError ?? "").length > 10, `${p.name}: engine-error without a message`);
        if (trace.uncaught) assert.ok(trace.uncaught.type && trace.uncaught.line, `${p.name}: uncaught exception without type/message`);
        const key = trace.uncaught ? `ok+${trace.uncaught.type}` : trace.status;
        counts[key] = (counts[key] ?? 0) + 1;
      });
    } finally {
      engine.dispose();
      rmSync(tmp, { recursive: true, force: true });
    }
    // Engine errors are for the engine failing, not for bad programs: most runs must be results.
    assert.ok((counts["engine-error"] ?? 0) <= runs * 0.05, `too many engine errors: ${JSON.stringify(counts)}`);
    console.log(`      outcomes: ${JSON.stringify(counts)}`);
  });
}

describe("fuzz: engines on mutated programs", () => {
  fuzz("local", Number(process.env.ASYNCIO_TRACE_FUZZ_ENGINE_RUNS ?? 1000), SEED, 4);
  fuzz("embedded", Number(process.env.ASYNCIO_TRACE_FUZZ_EMBEDDED_RUNS ?? 25), SEED + 1, 1);
});
