/**
 * Linter benchmark: cold parser load, lint of a 2,000-line file from scratch (parse + rules), and
 * re-lint after a one-line edit. Budgets: 30 ms and 5 ms (medians). `asyncio-trace bench` calls
 * runLintBench(); `node out/bench/lintBench.js` runs it alone.
 */
import { DocumentLint, lintWithParser } from "../src/core/analysis/linter";
import { loadPythonParser } from "../src/core/analysis/parser";

export interface LintBenchResult {
  lines: number;
  parserLoadMs: number;
  fromScratchMs: number;
  /** CPU time of the same runs: on a busy shared machine wall time mostly measures the wait for a core. */
  fromScratchCpuMs: number;
  /** tree-sitter's own parse of the same text (part of fromScratchMs): what no change to the rules can win back. */
  parseMs: number;
  incrementalMs: number;
  incrementalPath: string;
  budgets: { fromScratchMs: number; incrementalMs: number };
  withinBudget: boolean;
}

/** A realistic module: imports, coroutines with awaits, loops, classes with methods, some mistakes. */
export function syntheticModule(targetLines = 2000): string {
  const parts = ["import asyncio", "import time", "from asyncio import sleep as nap", "", ""];
  for (let i = 0; parts.join("\n").split("\n").length < targetLines; i++) {
    parts.push(
      `async def worker_${i}(queue, n):`,
      `    total = 0`,
      `    for k in range(n):`,
      `        item = await queue.get()`,
      `        total += item * ${i}`,
      `        if total > 100:`,
      `            print("big", total, [x for x in range(3)])`,
      `    await asyncio.sleep(0.1)`,
      `    return total`,
      ``,
      ``,
      `class Service${i}:`,
      `    async def fetch(self, url):`,
      `        await nap(0)`,
      `        return url  # time.sleep( in a comment`,
      ``,
      `    async def run(self):`,
      `        results = await asyncio.gather(*[self.fetch(u) for u in ("a", "b")])`,
      `        time.sleep(0.01)`,
      `        return results`,
      ``,
      ``,
    );
  }
  return parts.join("\n") + "\n";
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runLintBench(rounds = 15): Promise<LintBenchResult> {
  const t0 = performance.now();
  const python = await loadPythonParser();
  const parserLoadMs = performance.now() - t0;
  const text = syntheticModule();
  for (let i = 0; i < 3; i++) lintWithParser(python, text); // warm the JIT
  const scratch: number[] = [];
  const scratchCpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    lintWithParser(python, text);
    scratch.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    scratchCpu.push((used.user + used.system) / 1000);
  }
  const parse: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    python.parser.parse(text)?.delete();
    parse.push(performance.now() - start);
  }
  const doc = new DocumentLint(python);
  doc.update(text);
  const incremental: number[] = [];
  let current = text;
  let path = "";
  for (let i = 0; i < rounds * 2; i++) {
    // Type one character on a line in the middle of a function body, like a user would.
    const anchor = current.indexOf("total += item", Math.floor(current.length / 2));
    const at = current.indexOf("\n", anchor);
    const next = current.slice(0, at) + "1" + current.slice(at);
    const start = performance.now();
    doc.update(next, { start: at, oldEnd: at, newText: "1" });
    incremental.push(performance.now() - start);
    path = doc.lastUpdate;
    current = next;
  }
  doc.dispose();
  const result = {
    lines: text.split("\n").length - 1,
    parserLoadMs,
    fromScratchMs: median(scratch),
    fromScratchCpuMs: median(scratchCpu),
    parseMs: median(parse),
    incrementalMs: median(incremental),
    incrementalPath: path,
    budgets: { fromScratchMs: 30, incrementalMs: 5 },
    withinBudget: false,
  };
  result.withinBudget = result.fromScratchMs <= 30 && result.incrementalMs <= 5;
  return result;
}

// Only when run as out/bench/lintBench.js: inside the CLI bundle `require.main === module` holds too,
// and a second, concurrent bench there would skew both.
if (require.main === module && /lintBench\.js$/.test(__filename)) {
  runLintBench().then(
    (r) => {
      process.stdout.write(
        `lint ${r.lines} lines: parser load ${r.parserLoadMs.toFixed(1)} ms, from scratch ${r.fromScratchMs.toFixed(1)} ms (${r.fromScratchCpuMs.toFixed(1)} ms CPU; tree-sitter parse alone ${r.parseMs.toFixed(1)} ms; budget 30), ` +
          `one-line edit ${r.incrementalMs.toFixed(2)} ms via ${r.incrementalPath} (budget 5)\n`,
      );
      process.exitCode = r.withinBudget ? 0 : 1;
    },
    (err) => {
      process.stderr.write(String(err) + "\n");
      process.exitCode = 2;
    },
  );
}
