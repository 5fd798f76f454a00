// Fuzz: 1,000 programs mutated from the fixtures go through one linter; each must give findings
// with sane ranges, quickly, and never throw.
import * as assert from "node:assert/strict";
import { loadPythonParser, type PythonParser } from "../../src/core/analysis/parser";
import { lintWithParser } from "../../src/core/analysis/linter";
import { mutatedCorpus, mutate, rng } from "./fuzzPrograms";

const RUNS = Number(process.env.ASYNCIO_TRACE_FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.ASYNCIO_TRACE_FUZZ_SEED ?? 20261124);

describe("fuzz: linter on mutated programs", function () {
  this.timeout(120_000);
  let parser: PythonParser;
  before(async () => {
    parser = await loadPythonParser();
  });

  it("mutations are deterministic for a seed and really change the text", () => {
    const a = mutatedCorpus(50, 7).map((p) => p.text);
    const b = mutatedCorpus(50, 7).map((p) => p.text);
    assert.deepEqual(a, b);
    const src = "async def main():\n    await a()\n    await b()\n    x = 1\n";
    const changed = Array.from({ length: 50 }, (_, i) => mutate(src, rng(i)).text).filter((t) => t !== src);
    assert.ok(changed.length >= 40, `only ${changed.length}/50 mutations changed the text`);
  });

  it(`${RUNS} mutated programs each lint without throwing, in bounded time, with in-range findings`, () => {
    const slow: string[] = [];
    let findings = 0;
    for (const p of mutatedCorpus(RUNS, SEED)) {
      const t0 = performance.now();
      let result;
      try {
        result = lintWithParser(parser, p.text);
      } catch (e) {
        assert.fail(`${p.name} (${p.did.join(", ")}) threw: ${(e as Error).stack}`);
      }
      const ms = performance.now() - t0;
      if (ms > 500) slow.push(`${p.name}: ${ms.toFixed(0)} ms`);
      const lines = p.text.split(/\r\n|\r|\n|\u2028|\u2029/);
      for (const f of result) {
        findings++;
        const { start, end } = f.range;
        assert.ok(start.line >= 0 && end.line >= start.line && end.line < lines.length + 1, `${p.name}: ${f.code} range ${JSON.stringify(f.range)} outside ${lines.length} lines`);
        assert.ok(start.character >= 0 && end.character >= 0, `${p.name}: negative column in ${JSON.stringify(f.range)}`);
        assert.match(f.code, /^[a-z]+(-[a-z]+)*$/);
      }
    }
    assert.deepEqual(slow, [], "lint took over 500 ms");
    assert.ok(findings > RUNS / 10, `only ${findings} findings over ${RUNS} programs: the corpus is not exercising the rules`);
  });
});
