/** `asyncio-trace lint FILE... [--json]`: output formats and exit status, through the real entry point. */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { LINT_FIXTURES } from "./lint.test";

const CLI = join(__dirname, "..", "..", "src", "cli.js");
const lint = (...args: string[]) => spawnSync(process.execPath, [CLI, "lint", ...args], { encoding: "utf8", timeout: 30_000 });

describe("asyncio-trace lint", () => {
  it("prints 1-based JSON records and exits 1 when there is an error-severity finding", () => {
    const file = join(LINT_FIXTURES, "await_non_awaitable.py");
    const run = lint(file, "--json");
    assert.equal(run.status, 1, run.stderr);
    const records = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    const first = records.find((r) => r.code === "await-non-awaitable")!;
    assert.deepEqual(Object.keys(first), ["file", "line", "column", "endLine", "endColumn", "code", "severity", "message"]);
    assert.deepEqual([first.file, first.line, first.column, first.endLine, first.endColumn, first.severity], [file, 16, 5, 16, 24, "error"]);
  });

  it("prints file:line:col: severity code message lines and exits 0 with only warnings", () => {
    const file = join(LINT_FIXTURES, "blocking_sleep.py");
    const run = lint(file);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split("\n");
    assert.equal(lines.length, 5);
    assert.match(lines[0], new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:10:5: warning blocking-sleep \`time\\.sleep\` blocks`));
  });

  it("exits 2 for a missing file or no file", () => {
    assert.equal(lint(join(LINT_FIXTURES, "no_such_file.py")).status, 2);
    assert.equal(lint().status, 2);
  });
});
