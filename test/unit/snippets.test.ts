/** Every snippet in snippets/python.json, expanded with its defaults, runs under python3 and exits 0; and lints clean. */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lintWithParser } from "../../src/core/analysis/linter";
import { loadPythonParser } from "../../src/core/analysis/parser";

const SNIPPETS = join(__dirname, "..", "..", "..", "snippets", "python.json");

/** Resolves `${1:default}` (nested too), `${1|a,b|}` (first choice), `$1` and `$0` the way an editor would on insert with Tab-through. */
export function expandSnippet(body: string): string {
  let text = body;
  const defaults = new Map<string, string>();
  for (let guard = 0; guard < 20; guard++) {
    const next = text
      .replace(/\$\{(\d+)\|([^|}]*)\|\}/g, (_m, n: string, choices: string) => {
        const first = choices.split(",")[0];
        defaults.set(n, first);
        return first;
      })
      .replace(/\$\{(\d+):([^${}]*)\}/g, (_m, n: string, value: string) => {
        if (!defaults.has(n)) defaults.set(n, value);
        return defaults.get(n)!;
      });
    if (next === text) break;
    text = next;
  }
  return text.replace(/\$\{?(\d+)\}?/g, (_m, n: string) => defaults.get(n) ?? "");
}

describe("snippets", () => {
  const snippets = JSON.parse(readFileSync(SNIPPETS, "utf8")) as Record<string, { prefix: string; body: string[]; description: string }>;

  it("has at least 8 snippets, each with a prefix and a description", () => {
    assert.ok(Object.keys(snippets).length >= 8);
    for (const [name, s] of Object.entries(snippets)) assert.ok(s.prefix && s.description && s.body.length, name);
  });

  it("expands placeholders like an editor", () => {
    assert.equal(expandSnippet("a ${1:x} ${1:x} ${2|p,q|} $1 ${3:${1:x}y}$0"), "a x x p x xy");
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    it(`${name} runs under python3 with its defaults and lints clean`, async () => {
      const code = expandSnippet(snippet.body.join("\n"));
      assert.ok(!/\$\{|\$\d/.test(code), `unexpanded placeholder in:\n${code}`);
      const run = spawnSync("python3", ["-c", code], { encoding: "utf8", timeout: 10_000 });
      assert.equal(run.status, 0, `${name} exited ${run.status}:\n${run.stderr}`);
      const findings = lintWithParser(await loadPythonParser(), code);
      assert.deepEqual(findings.map((f) => `${f.range.start.line + 1}:${f.code}`), []);
    });
  }
});
