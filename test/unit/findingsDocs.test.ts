/** docs/findings.md quotes real findings; this keeps every quoted line true to what the rules print. */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { computeFindings } from "../../src/core/findings";
import { renderTextTimeline } from "../../src/core/trace/textTimeline";
import { loadFindingsTrace } from "./findingsFixtures";

const DOC = path.resolve(__dirname, "..", "..", "..", "docs", "findings.md");

describe("docs/findings.md examples", () => {
  it("quotes one real finding per kind, each exactly as the CLI prints it for its fixture", () => {
    const quoted = readFileSync(DOC, "utf8")
      .split("\n")
      .filter((line) => /^[✖⚠ℹ] \w+\.py:\d+ {2}/.test(line));
    const kinds = new Set<string>();
    for (const line of quoted) {
      const [, fixture, code] = /^. (\w+)\.py:\d+ {2}([a-z-]+) {2}/.exec(line)!;
      kinds.add(code);
      const trace = loadFindingsTrace(fixture);
      const printed = renderTextTimeline(trace, computeFindings(trace)).split("\n").map((l) => l.trim());
      assert.ok(printed.includes(line), `docs quote not printed for ${fixture}:\n${line}`);
    }
    assert.deepEqual([...kinds].sort(), [
      "deadlock",
      "exception-never-retrieved",
      "loop-blocked",
      "missed-concurrency",
      "never-awaited",
      "pending-at-shutdown",
      "slow-step",
    ]);
  });
});
