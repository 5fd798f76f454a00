/**
 * Regenerates the golden traces of test/fixtures/findings: runs every fixture program under the
 * local engine (the user's CPython with the same tracer) and writes NAME.trace.json beside it.
 * Paths inside the trace are made relative to the fixtures folder ("<fixtures>/NAME.py") so the
 * goldens do not depend on where the repository is checked out.
 *
 *   npx tsc -p tsconfig.test.json && node out/scripts/regenerate-finding-traces.js [NAME...]
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LocalEngine } from "../src/engine/local";

export const FIXTURES_TOKEN = "<fixtures>";

async function main(): Promise<void> {
  const fixturesDir = resolve(__dirname, "..", "..", "test", "fixtures", "findings");
  const wanted = process.argv.slice(2);
  const programs = readdirSync(fixturesDir).filter((f) => f.endsWith(".py") && (wanted.length === 0 || wanted.some((w) => f.startsWith(w))));
  const engine = new LocalEngine();
  for (const program of programs) {
    const file = join(fixturesDir, program);
    const trace = await engine.run({ file, budgetSeconds: 20 });
    // Big traces (the 1,000-task gather) stay compact; small ones are indented for readable diffs.
    const json = JSON.stringify(trace, null, trace.events.length > 2000 ? undefined : 1).split(fixturesDir).join(FIXTURES_TOKEN);
    writeFileSync(file.replace(/\.py$/, ".trace.json"), json + "\n");
    process.stdout.write(`${program}: ${trace.status}, exit ${trace.exitCode}, ${trace.tasks.length} tasks, ${trace.events.length} events, virtual ${trace.virtualTime} s\n`);
  }
  engine.dispose();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
