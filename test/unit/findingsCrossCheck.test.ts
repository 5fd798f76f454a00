/** On the tutorial's mistakes, the static diagnostic (a guess before running) and the runtime finding (a fact after running) name the same line. */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { lintWithParser } from "../../src/core/analysis/linter";
import { loadPythonParser, type PythonParser } from "../../src/core/analysis/parser";
import { computeFindings } from "../../src/core/findings";
import { fixturePath, loadFindingsTrace } from "./findingsFixtures";

const CASES: { fixture: string; lint: string; runtime: string; line: number }[] = [
  { fixture: "tutorial_forgot_await", lint: "unawaited-coroutine", runtime: "never-awaited", line: 6 },
  { fixture: "never_awaited", lint: "unawaited-coroutine", runtime: "never-awaited", line: 11 },
  { fixture: "tutorial_blocking_call", lint: "blocking-sleep", runtime: "loop-blocked", line: 7 },
  { fixture: "loop_blocked", lint: "blocking-sleep", runtime: "loop-blocked", line: 15 },
];

describe("runtime findings agree with the static rules on the tutorial's mistakes", () => {
  let python: PythonParser;
  before(async () => {
    python = await loadPythonParser();
  });

  for (const c of CASES) {
    it(`${c.fixture}: ${c.lint} and ${c.runtime} both at line ${c.line}`, () => {
      const staticLines = lintWithParser(python, readFileSync(fixturePath(c.fixture), "utf8"))
        .filter((f) => f.code === c.lint)
        .map((f) => f.range.start.line + 1);
      const runtimeLines = computeFindings(loadFindingsTrace(c.fixture))
        .filter((f) => f.code === c.runtime)
        .map((f) => f.location?.line);
      assert.deepEqual(staticLines, [c.line], `static ${c.lint}`);
      assert.deepEqual(runtimeLines, [c.line], `runtime ${c.runtime}`);
    });
  }
});
