/** Each fixture in test/fixtures/lint/ marks the lines that must be flagged with `# expect: code[, code]`; every other line must stay clean. */
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lintWithParser } from "../../src/core/analysis/linter";
import { loadPythonParser, type PythonParser } from "../../src/core/analysis/parser";
import type { Finding } from "../../src/core/analysis/types";

export const LINT_FIXTURES = join(__dirname, "..", "..", "..", "test", "fixtures", "lint");

function expectedFindings(text: string): string[] {
  const expected: string[] = [];
  text.split("\n").forEach((line, index) => {
    const match = /# expect: ([a-z, -]+)$/.exec(line);
    if (match) for (const code of match[1].split(",")) expected.push(`${index + 1}:${code.trim()}`);
  });
  return expected.sort();
}

function actualFindings(findings: Finding[]): string[] {
  return findings.map((f) => `${f.range.start.line + 1}:${f.code}`).sort();
}

describe("lint rules on fixtures", () => {
  let python: PythonParser;
  before(async () => {
    python = await loadPythonParser();
  });

  for (const name of readdirSync(LINT_FIXTURES).filter((n) => n.endsWith(".py"))) {
    it(name, () => {
      const text = readFileSync(join(LINT_FIXTURES, name), "utf8");
      assert.deepEqual(actualFindings(lintWithParser(python, text)), expectedFindings(text));
    });
  }

  it("puts each diagnostic on the offending expression", () => {
    const text = "import asyncio\n\nasync def main():\n    x = 1; asyncio.sleep(1)\n";
    const finding = lintWithParser(python, text).find((f) => f.code === "unawaited-coroutine")!;
    assert.deepEqual(finding.range, { start: { line: 3, character: 11 }, end: { line: 3, character: 27 } });
    assert.match(finding.message, /thrown away/);
  });

  it("flags an async with at module level from `async` to the colon", () => {
    const text = "import asyncio\nasync with asyncio.Lock():\n    pass\n";
    const [finding] = lintWithParser(python, text);
    assert.deepEqual(finding.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 26 } });
  });

  it("allows top-level await in a notebook cell but flags asyncio.run there", () => {
    const text = "import asyncio\nawait asyncio.sleep(1)\nasyncio.run(main())\n";
    assert.deepEqual(actualFindings(lintWithParser(python, text, { notebook: true })), ["3:run-in-running-loop"]);
    assert.deepEqual(actualFindings(lintWithParser(python, text)), ["2:await-outside-async"]);
  });

  it("applies per-rule severities and turns rules off", () => {
    const text = "import time\nasync def f():\n    time.sleep(1)\n    await g()\n";
    const findings = lintWithParser(python, text, { severities: { "blocking-sleep": "error", "async-without-await": "off" } });
    assert.deepEqual(findings.map((f) => [f.code, f.severity]), [["blocking-sleep", "error"]]);
    assert.equal(lintWithParser(python, text, { severities: { "blocking-sleep": "off" } }).length, 0);
  });

  it("writes messages in Traditional Chinese when asked", () => {
    const [finding] = lintWithParser(python, "import time\nasync def f():\n    time.sleep(1)\n    await g()\n", { language: "zh-tw" });
    assert.match(finding.message, /事件迴圈/);
  });
});
