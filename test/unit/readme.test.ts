import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const README = readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("README", () => {
  it("includes docs/rules.md, docs/findings.md and docs/testing.md as they are now", () => {
    // Exits non-zero when an included section differs from its docs/ source.
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "sync-readme.mjs"), "--check"], { stdio: "pipe" });
    for (const doc of ["rules", "findings", "testing"]) assert.match(README, new RegExp(`<!-- include docs/${doc}\\.md -->`));
  });

  it("has a Quick start block of exactly two command lines: install + trace an example, then the test suite", () => {
    const block = /^## Quick start\s*\n[\s\S]*?```\w*\n([\s\S]*?)```/m.exec(README);
    assert.ok(block, "no code block under ## Quick start");
    const lines = block[1].split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^npm install && npx asyncio-trace trace examples\/\S+\.py$/);
    assert.equal(lines[1], "npm test");
    const example = /examples\/\S+\.py/.exec(lines[0])![0];
    readFileSync(path.join(ROOT, example)); // the example it names exists
  });

  it("documents every rule the linter has, under its own heading (the diagnostics link there)", () => {
    const rulesDir = path.join(ROOT, "src", "core", "analysis", "rules");
    const codes = new Set<string>();
    for (const file of require("node:fs").readdirSync(rulesDir) as string[]) {
      for (const m of readFileSync(path.join(rulesDir, file), "utf8").matchAll(/code:\s*"([a-z]+(?:-[a-z]+)+)"/g)) codes.add(m[1]);
    }
    assert.ok(codes.size >= 10, `found only ${codes.size} rule codes`);
    for (const code of codes) assert.match(README, new RegExp("^### `" + code + "`$", "m"), `README lacks a section for ${code}`);
  });
});
