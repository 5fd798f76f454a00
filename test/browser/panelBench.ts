// Benchmark (not a test): the trace panel with a ~57,000-event trace in chromium. Traces
// test/fixtures/traces/programs/busy_50k.py with python3 and the project's tracer, opens its
// standalone HTML, then times canvas frames while panning and zooming. Budget: 16 ms per frame.
//   node esbuild.mjs && npx tsc -p tsconfig.test.json && node out/test/browser/panelBench.js
import * as path from "node:path";
import { traceWithPython } from "../../scripts/regenerate-traces";
import { Harness, REPO } from "./browserHarness";

// Browser globals used inside page.evaluate callbacks (this file compiles without the DOM lib).
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const FRAME_BUDGET_MS = 16;

function stats(ms: number[]): { p50: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

async function main(): Promise<number> {
  const trace = traceWithPython(path.join(REPO, "test", "fixtures", "traces", "programs", "busy_50k.py"));
  process.stdout.write(`trace: ${trace.events.length} events, ${trace.tasks.length} tasks, ${trace.virtualTime.toFixed(1)} s virtual\n`);
  const h = new Harness();
  await h.start();
  try {
    const t0 = Date.now();
    const { page, errors } = await h.open(h.page("busy_50k", trace), { width: 1400, height: 900 });
    process.stdout.write(`page ready in ${Date.now() - t0} ms\n`);
    const results = (await page.evaluate((total: number) => {
      const api = window.__asyncioTrace;
      const frames: Record<string, number[]> = { fit: [], zoom: [], pan: [], "zoomed-in pan": [] };
      const span0 = total * 1.06;
      for (let i = 0; i < 30; i++) frames.fit.push((api.setWindow(-0.03 * total, total * 1.03), api.drawFrame()));
      // Zoom from the whole run down to 1/1000 of it around the middle.
      for (let i = 0; i <= 60; i++) {
        const span = span0 * Math.pow(1e-3, i / 60);
        api.setWindow(total / 2 - span / 2, total / 2 + span / 2);
        frames.zoom.push(api.drawFrame());
      }
      // Pan across the whole run at 1/10 zoom.
      for (let i = 0; i <= 60; i++) {
        const span = total / 10;
        const t = (i / 60) * (total - span);
        api.setWindow(t, t + span);
        frames.pan.push(api.drawFrame());
      }
      for (let i = 0; i <= 60; i++) {
        const span = total / 500;
        const t = (i / 60) * (total - span);
        api.setWindow(t, t + span);
        frames["zoomed-in pan"].push(api.drawFrame());
      }
      return frames;
    }, trace.virtualTime)) as Record<string, number[]>;
    let worst = 0;
    for (const [name, ms] of Object.entries(results)) {
      const s = stats(ms);
      worst = Math.max(worst, s.p95);
      process.stdout.write(`${name.padEnd(14)} frames=${ms.length}  p50=${s.p50.toFixed(2)} ms  p95=${s.p95.toFixed(2)} ms  max=${s.max.toFixed(2)} ms\n`);
    }
    if (errors.length) process.stdout.write(`page errors: ${errors.join("; ")}\n`);
    const ok = worst <= FRAME_BUDGET_MS && errors.length === 0;
    process.stdout.write(`${ok ? "OK" : "OVER BUDGET"}: worst p95 ${worst.toFixed(2)} ms (budget ${FRAME_BUDGET_MS} ms)\n`);
    return ok ? 0 : 1;
  } finally {
    await h.stop();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e);
    process.exitCode = 2;
  },
);
