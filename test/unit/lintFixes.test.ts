/**
 * Quick fixes: each fixture in test/fixtures/lint/fixes/ is fixed (the first fix of every finding,
 * or "Fix all" for `fixall_*`), compared with its `.fixed.py`, and compiled by python3.
 * `notebook_*` fixtures are linted as notebook cells and compiled allowing top-level await.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { disableForLineEdit, fixAllEdits } from "../../src/core/analysis/fixes/fixAll";
import { applyEdits } from "../../src/core/analysis/fixes/textEdits";
import { lintWithParser } from "../../src/core/analysis/linter";
import { loadPythonParser, type PythonParser } from "../../src/core/analysis/parser";
import { LINT_FIXTURES } from "./lint.test";

const FIXES = join(LINT_FIXTURES, "fixes");

/** Compiles every file in one python3 process; returns "file: error" lines for those that fail. */
function compileErrors(files: string[]): string[] {
  const script = [
    "import ast, sys",
    "for f in sys.argv[1:]:",
    "    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if 'notebook_' in f else 0",
    "    try: compile(open(f).read(), f, 'exec', flags=flags)",
    "    except SyntaxError as e: print(f'{f}: {e}')",
  ].join("\n");
  const out = execFileSync("python3", ["-c", script, ...files], { encoding: "utf8", timeout: 20_000 });
  return out.split("\n").filter(Boolean);
}

describe("lint quick fixes", () => {
  let python: PythonParser;
  const fixedFiles: string[] = [];
  const scratch = mkdtempSync(join(tmpdir(), "asyncio-trace-fixes-"));
  before(async () => {
    python = await loadPythonParser();
  });

  const inputs = readdirSync(FIXES).filter((n) => n.endsWith(".py") && !n.endsWith(".fixed.py"));
  for (const name of inputs) {
    it(`${name} matches ${name.replace(/\.py$/, ".fixed.py")}`, () => {
      const text = readFileSync(join(FIXES, name), "utf8");
      const findings = lintWithParser(python, text, { withFixes: true, notebook: name.startsWith("notebook_") });
      const edits = name.startsWith("fixall_") ? fixAllEdits(findings) : findings.flatMap((f) => f.fixes?.[0]?.edits ?? []);
      assert.ok(edits.length > 0, "the fixture should have something to fix");
      const fixed = applyEdits(text, edits);
      assert.equal(fixed, readFileSync(join(FIXES, name.replace(/\.py$/, ".fixed.py")), "utf8"));
      const out = join(scratch, name);
      writeFileSync(out, fixed);
      fixedFiles.push(out);
      // The fixed text must itself be clean of the findings that were fixed (the safe ones at least).
      const remaining = lintWithParser(python, fixed, { withFixes: true, notebook: name.startsWith("notebook_") });
      assert.ok(remaining.filter((f) => f.fixes?.some((x) => x.preferred)).length < findings.filter((f) => f.fixes?.some((x) => x.preferred)).length || findings.every((f) => !f.fixes?.some((x) => x.preferred)));
    });
  }

  it("every fixed file compiles with python3", function () {
    if (fixedFiles.length < inputs.length) this.skip();
    assert.deepEqual(compileErrors(fixedFiles), []);
  });

  it("the compile check really catches broken output", () => {
    const broken = join(scratch, "broken.py");
    writeFileSync(broken, "await asyncio.sleep(1)\n");
    assert.equal(compileErrors([broken]).length, 1);
  });

  it("marks only the safe fixes as preferred", () => {
    const text = "import asyncio\n\ndef helper():\n    await asyncio.sleep(1)\n\nawait asyncio.sleep(2)\n";
    const fixes = lintWithParser(python, text, { withFixes: true }).flatMap((f) => f.fixes ?? []);
    assert.deepEqual(fixes.map((f) => [f.kind, f.preferred]), [["makeDefAsync", false], ["wrapInAsyncMain", false]]);
    assert.deepEqual(fixAllEdits(lintWithParser(python, text, { withFixes: true })), []);
  });

  it("Disable for this line adds an ignore comment, or extends an existing one", () => {
    const text = "import time\nasync def f():\n    time.sleep(1)\n    await time.sleep(2)  # asyncio-trace: ignore[blocking-sleep]\n";
    const findings = lintWithParser(python, text);
    const sleep = findings.find((f) => f.code === "blocking-sleep")!;
    const once = applyEdits(text, [disableForLineEdit(text, sleep)]);
    assert.match(once.split("\n")[2], /^ {4}time\.sleep\(1\) {2}# asyncio-trace: ignore\[blocking-sleep\]$/);
    assert.equal(lintWithParser(python, once).filter((f) => f.code === "blocking-sleep").length, 0);
    const awaitFinding = findings.find((f) => f.code === "await-non-awaitable")!;
    const twice = applyEdits(text, [disableForLineEdit(text, awaitFinding)]);
    assert.match(twice.split("\n")[3], /# asyncio-trace: ignore\[blocking-sleep, await-non-awaitable\]$/);
    assert.equal(lintWithParser(python, twice).filter((f) => f.range.start.line === 3).length, 0);
  });
});
