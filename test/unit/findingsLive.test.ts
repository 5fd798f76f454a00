/**
 * The golden traces must stay what the engines produce today: every fixture is traced again, live,
 * and must give the same findings as its golden trace. Under the local engine for all fixtures;
 * under the embedded engine (CPython in WebAssembly) for one fixture per finding kind.
 */
import * as assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { computeFindings, type Finding } from "../../src/core/findings";
import { EmbeddedEngine } from "../../src/engine/embedded";
import { LocalEngine } from "../../src/engine/local";
import type { Engine } from "../../src/engine/types";
import { FINDINGS_FIXTURES_DIR, fixturePath, loadFindingsTrace } from "./findingsFixtures";

function facts(findings: Finding[]): string[] {
  return findings.map((f) => `${f.code} ${f.location?.line ?? "-"} ${f.message.en}`);
}

const FIXTURES = readdirSync(FINDINGS_FIXTURES_DIR)
  .filter((f) => f.endsWith(".py"))
  .map((f) => f.replace(/\.py$/, ""));

/** One program per finding kind, for the slower engine. */
const EMBEDDED_SAMPLE = [
  "never_awaited",
  "loop_blocked",
  "exception_never_retrieved",
  "pending_at_shutdown",
  "deadlock_queue",
  "deadlock_lock_held", // which task holds a lock comes from the tracer's own bookkeeping, so check it on 3.14 too
  "missed_concurrency",
  "missed_concurrency_http",
  "slow_step",
  "clean_task_group",
];

function liveSuite(name: string, makeEngine: () => Engine | undefined, fixtures: string[]): void {
  describe(`findings from live ${name} runs match the golden traces`, function () {
    this.timeout(120_000);
    let engine: Engine | undefined;
    before(async function () {
      engine = makeEngine();
      if (!engine) this.skip();
      await engine.warm?.();
    });
    after(() => engine?.dispose());

    for (const fixture of fixtures) {
      it(fixture, async () => {
        const live = await engine!.run({ file: fixturePath(fixture), budgetSeconds: 30 });
        const golden = loadFindingsTrace(fixture);
        assert.equal(live.status, golden.status);
        assert.deepEqual(facts(computeFindings(live)), facts(computeFindings(golden)));
      });
    }
  });
}

liveSuite("local engine", () => new LocalEngine(), FIXTURES);

const distDir = resolve(__dirname, "..", "..", "..", "dist");
liveSuite(
  "embedded engine",
  // Needs the bundles (`node esbuild.mjs`); the engine's own tests say so loudly, this one just waits for them.
  () => (existsSync(join(distDir, "embeddedWorker.js")) ? new EmbeddedEngine({ distDir, cacheDir: join(tmpdir(), "asyncio-trace-test-cache") }) : undefined),
  EMBEDDED_SAMPLE,
);
