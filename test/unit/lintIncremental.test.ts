/** DocumentLint after edits gives exactly what a fresh lint of the new text gives, and takes the one-statement path when it can. */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { hoverTargetAt } from "../../src/core/analysis/hoverTarget";
import { DocumentLint, lintWithParser, mergeEdits } from "../../src/core/analysis/linter";
import { loadPythonParser, type PythonParser } from "../../src/core/analysis/parser";
import { LINT_FIXTURES } from "./lint.test";

describe("incremental lint", () => {
  let python: PythonParser;
  before(async () => {
    python = await loadPythonParser();
  });

  function edit(doc: DocumentLint, text: string, at: number, removed: number, inserted: string) {
    const next = text.slice(0, at) + inserted + text.slice(at + removed);
    const findings = doc.update(next, { start: at, oldEnd: at + removed, newText: inserted });
    assert.deepEqual(findings, lintWithParser(python, next), `after inserting ${JSON.stringify(inserted)} at ${at}`);
    return next;
  }

  it("re-lints only the edited statement when the module's names stay the same", () => {
    let text = readFileSync(join(LINT_FIXTURES, "unawaited_coroutine.py"), "utf8");
    const doc = new DocumentLint(python);
    doc.update(text);
    // Add a line inside main(): a new finding appears, and everything below moves down one line.
    const at = text.indexOf("    await fetch(4)");
    text = edit(doc, text, at, 0, "    fetch(99)\n");
    assert.equal(doc.lastUpdate, "statement");
    // Remove the mistake again.
    text = edit(doc, text, at, "    fetch(99)\n".length, "");
    assert.equal(doc.lastUpdate, "statement");
    // Rename an async def: the module's names change, so the whole file is re-linted.
    text = edit(doc, text, text.indexOf("async def fetch"), "async def fetch".length, "def fetch");
    assert.notEqual(doc.lastUpdate, "statement");
    // Half-typed code falls back to a full (incremental) parse and still matches.
    text = edit(doc, text, text.indexOf("async def main():") + 17, 0, "\n    x = (");
    assert.equal(doc.lastUpdate, "incremental");
    doc.dispose();
  });

  it("re-lints everything when an edit adds or removes a mention of a module-level name bound to a coroutine", () => {
    let text = "import asyncio\n\n\nasync def fetch():\n    await asyncio.sleep(0)\n\n\nresult = fetch()\n\n\ndef later():\n    return 1\n";
    const doc = new DocumentLint(python);
    assert.deepEqual(doc.update(text).map((f) => [f.range.start.line, f.code]), [[7, "unawaited-coroutine"]]);
    // Reading `result` in another statement makes it used: the finding on line 8 must go.
    text = edit(doc, text, text.indexOf("return 1") + "return ".length, 1, "result");
    assert.notEqual(doc.lastUpdate, "statement");
    assert.deepEqual(doc.current(), []);
    // And back: the finding returns.
    text = edit(doc, text, text.indexOf("return result") + "return ".length, "result".length, "1");
    assert.notEqual(doc.lastUpdate, "statement");
    assert.equal(doc.current().length, 1);
    // Edits that do not mention the name keep the one-statement path.
    text = edit(doc, text, text.indexOf("return 1") + "return ".length, 1, "2");
    assert.equal(doc.lastUpdate, "statement");
    doc.dispose();
  });

  it("merges a burst of edits into one change of the original text", () => {
    const original = "abcdef";
    // "abcdef" -> insert X at 2 -> "abXcdef" -> delete 'd' (at 4) -> "abXcef" -> insert Y at 0 -> "YabXcef"
    const final = "YabXcef";
    const change = mergeEdits([{ start: 2, oldEnd: 2, newLength: 1 }, { start: 4, oldEnd: 5, newLength: 0 }, { start: 0, oldEnd: 0, newLength: 1 }], final)!;
    assert.equal(original.slice(0, change.start) + change.newText + original.slice(change.oldEnd), final);
  });

  it("finds the keyword or asyncio API under the cursor, through aliases", () => {
    const text = "import asyncio as aio\nfrom asyncio import gather as g\n\nasync def main():\n    await aio.sleep(1)\n    await g()\n    x.sleep()\n";
    assert.equal(hoverTargetAt(python, text, 3, 2)?.name, "async");
    assert.equal(hoverTargetAt(python, text, 4, 6)?.name, "await");
    assert.equal(hoverTargetAt(python, text, 4, 15)?.name, "sleep");
    assert.equal(hoverTargetAt(python, text, 5, 10)?.name, "gather");
    assert.equal(hoverTargetAt(python, text, 6, 7), undefined);
  });
});
