/**
 * Differential tests: every program in test/fixtures/programs runs through both engines and is
 * compared with what CPython 3.11.7 printed under the independent oracle
 * (test/oracle/native_vclock.py, recorded in expected/*.json by scripts/regenerate-expected.py).
 *
 * - oracle: re-runs the oracle under this machine's python3 and checks the committed expected
 *   files are current (a stale file fails here, not as a mysterious engine failure);
 * - local engine (same CPython 3.11.7): stdout, stderr, exit status and virtual time exactly;
 * - embedded engine (CPython 3.14): the same, with stdout and stderr passed through the narrow
 *   3.11→3.14 normalisation documented in test/fixtures/programs/VERSION_DIFFERENCES.md.
 * The oracle and local suites skip themselves when python3 is not 3.11 (the expected files are
 * 3.11's); the embedded suite always runs.
 * A deadlock's report is the engine's own wording, so there the program's own stderr must come
 * first and the report must name every waiting task.
 *
 * - local engine under each other CPython this machine has (python3.12, 3.13, 3.14 on PATH):
 *   compared with the oracle run live under that same interpreter.
 *
 * Subsets: DIFF_PROGRAMS=prefix1,prefix2 and DIFF_SUITES=oracle,local,versions,embedded.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { EmbeddedEngine } from "../../src/engine/embedded";
import { LocalEngine } from "../../src/engine/local";
import type { Engine } from "../../src/engine/types";

const ROOT = resolve(__dirname, "../../..");
const PROGRAMS = join(ROOT, "test", "fixtures", "programs");
const ORACLE = join(ROOT, "test", "oracle", "native_vclock.py");
const BUDGET_SECONDS = 10;

/** One committed expectation (see scripts/regenerate-expected.py). */
interface Expected {
  stdout: string;
  stderr: string;
  exit_code: number;
  virtual_time: number;
  deadlock: { waiting: string[] } | null;
}

/** What a run produced, before normalisation. */
interface Outcome {
  stdout: string;
  stderr: string;
  exitCode: number;
  virtualTime: number;
}

const ADDRESS = /\b0x[0-9a-fA-F]+\b/g;
const STDLIB_DIR = /(?:\/[^\s"'<>()]*?)?\/lib\/python3\.?\d+(?:\.zip)?\//g;

/** Same placeholders as regenerate-expected.py: programs folder, standard library, addresses. */
export function normalise(text: string): string {
  return text.split(PROGRAMS + sep).join("").replace(STDLIB_DIR, "<stdlib>/").replace(ADDRESS, "0x...");
}

/** 3.14 wording → 3.11 wording; the table in VERSION_DIFFERENCES.md. */
const MESSAGE_CHANGES: Array<[RegExp, string]> = [
  [/'(\w+)' object can't be awaited/g, "object $1 can't be used in 'await' expression"],
  [/(object cannot be interpreted as an integer) or float/g, "$1"],
  [/^<sys>:0: /gm, "sys:1: "],
];

const MARKER_LINE = /^[ |]*[~^][~^ ]*$/;
const FRAME_LINE = /^([ |]*)File "(.*)", line \d+, in .*$/;

/**
 * The embedded engine's (and the expectation's) stderr with the differences between CPython
 * 3.11 and 3.14 that VERSION_DIFFERENCES.md lists taken out: position-marker lines, runs of
 * standard-library frames, standard-library line numbers in reprs, the recursion count and the
 * message table.
 */
export function acrossVersions(stderr: string): string {
  const out: string[] = [];
  const lines = stderr.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (MARKER_LINE.test(line)) continue;
    const frame = FRAME_LINE.exec(line);
    if (frame && frame[2].startsWith("<stdlib>/") && !frame[2].startsWith("<stdlib>/site-packages/")) {
      const prefix = frame[1];
      while (i + 1 < lines.length && lines[i + 1].startsWith(prefix + "  ") && !FRAME_LINE.test(lines[i + 1])) i++;
      const collapsed = prefix + "File <stdlib>";
      if (out[out.length - 1] !== collapsed) out.push(collapsed);
      continue;
    }
    out.push(line);
  }
  let text = withoutLateModuleFrame(out.join("\n"));
  // 3.13+ leaves a callback's arguments out of Handle reprs (outside debug mode).
  text = text.replace(/(Exception in callback |<Handle )([\w.<>]+)\([^)]*\)( at )/g, "$1$2(...)$3");
  text = text.replace(/\[Previous line repeated \d+ more times\]/g, "[Previous line repeated N more times]");
  return messagesAcrossVersions(text);
}

/**
 * 3.12+ logs "Task exception was never retrieved" for a SystemExit raised in a task only after
 * the exit has unwound through the program's `<module>` frame, so that frame leads the logged
 * traceback; 3.11 logs it earlier, without it (exit_code_in_task.py; native 3.12.1 and 3.13.0
 * print the frame too). Only that first frame of such a block is dropped.
 */
export function withoutLateModuleFrame(text: string): string {
  return text.replace(
    /(Task exception was never retrieved\nfuture: [^\n]*exception=SystemExit\([^\n]*\nTraceback \(most recent call last\):\n)  File "[^"\n]*", line \d+, in <module>\n(?:    [^\n]*\n)?/g,
    "$1",
  );
}

/** Applies to stdout too: standard-library line numbers in reprs, and the message table. */
export function messagesAcrossVersions(text: string): string {
  text = text.replace(/(<stdlib>\/[\w/.]+\.py):\d+/g, "$1:?");
  for (const [pattern, replacement] of MESSAGE_CHANGES) text = text.replace(pattern, replacement);
  return text;
}

function programNames(): string[] {
  const filter = (process.env.DIFF_PROGRAMS ?? "").split(",").filter(Boolean);
  return readdirSync(PROGRAMS)
    .filter((n) => n.endsWith(".py") && !n.startsWith("_")) // _*.py are helpers the programs import
    .filter((n) => filter.length === 0 || filter.some((f) => n.startsWith(f)))
    .sort();
}

function suiteEnabled(name: string): boolean {
  const suites = (process.env.DIFF_SUITES ?? "").split(",").filter(Boolean);
  return suites.length === 0 || suites.includes(name);
}

function expectedFor(name: string): Expected {
  return JSON.parse(readFileSync(join(PROGRAMS, "expected", name.replace(/\.py$/, ".json")), "utf8")) as Expected;
}

/**
 * Compares an outcome with the expectation; `view` maps both sides' stdout/stderr for the engine
 * at hand. Deadlocks: the program's own stderr first, then a report naming the waiting tasks.
 */
function compare(
  name: string,
  outcome: Outcome,
  view: { stdout: (s: string) => string; stderr: (s: string) => string },
  expected: Expected = expectedFor(name),
  cpython = "CPython 3.11",
): void {
  const actualStderr = view.stderr(normalise(outcome.stderr));
  const expectedStderr = view.stderr(expected.stderr);
  let stderr = actualStderr;
  if (expected.deadlock) {
    const own = actualStderr.startsWith(expectedStderr) ? expectedStderr : actualStderr;
    const report = actualStderr.slice(own.length);
    const unnamed = expected.deadlock.waiting.filter((task) => !report.includes(task));
    stderr = unnamed.length === 0 ? own : `${actualStderr}\n[deadlock report does not name ${unnamed.join(", ")}]`;
  }
  assert.deepEqual(
    { stdout: view.stdout(normalise(outcome.stdout)), exitCode: outcome.exitCode, virtualTime: round6(outcome.virtualTime), stderr },
    { stdout: view.stdout(expected.stdout), exitCode: expected.exit_code, virtualTime: expected.virtual_time, stderr: expectedStderr },
    `${name}: differs from ${cpython} on the virtual clock`,
  );
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

async function runOnEngine(engine: Engine, name: string): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const trace = await engine.run({
    file: join(PROGRAMS, name),
    budgetSeconds: BUDGET_SECONDS,
    onOutput: (stream, chunk) => {
      if (stream === "stdout") stdout += chunk;
      else stderr += chunk;
    },
  });
  if (trace.status === "engine-error") stderr += `\n[engine error: ${trace.engineError ?? "?"}]`;
  return { stdout, stderr, exitCode: trace.exitCode, virtualTime: trace.virtualTime };
}

function runOracle(name: string, workDir: string, python = "python3"): Outcome & { deadlock?: string[] } {
  const timeJson = join(workDir, name + ".time.json");
  const proc = spawnSync(python, [ORACLE, "--time-json", timeJson, join(PROGRAMS, name)], {
    cwd: PROGRAMS,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    timeout: BUDGET_SECONDS * 1000,
  });
  const report = JSON.parse(readFileSync(timeJson, "utf8")) as { virtual_time: number; deadlock?: string[] };
  return { stdout: proc.stdout, stderr: proc.stderr, exitCode: proc.status ?? -1, virtualTime: report.virtual_time, deadlock: report.deadlock };
}

/** What the oracle printed under another CPython, in the shape of a committed expectation. */
function expectationFrom(oracle: ReturnType<typeof runOracle>): Expected {
  let stderr = oracle.stderr;
  if (oracle.deadlock) stderr = stderr.slice(0, stderr.indexOf(DEADLOCK_HEADER)); // the oracle's own report wording
  return {
    stdout: normalise(oracle.stdout),
    stderr: normalise(stderr),
    exit_code: oracle.exitCode,
    virtual_time: round6(oracle.virtualTime),
    deadlock: oracle.deadlock ? { waiting: oracle.deadlock } : null,
  };
}

const DEADLOCK_HEADER = "deadlock: nothing is ready";

/**
 * The other CPythons the local engine supports that this machine has: python3.12-3.14 on PATH, or
 * installed by pyenv (whose shims only answer for the versions selected as global).
 */
function otherPythons(): Array<{ exe: string; version: string }> {
  const candidates = ["python3.12", "python3.13", "python3.14"];
  const pyenvVersions = join(process.env.PYENV_ROOT ?? join(homedir(), ".pyenv"), "versions");
  if (existsSync(pyenvVersions)) {
    for (const dir of readdirSync(pyenvVersions).sort()) {
      if (/^3\.1[2-4]\.\d+$/.test(dir)) candidates.push(join(pyenvVersions, dir, "bin", "python3"));
    }
  }
  const found = new Map<string, { exe: string; version: string }>(); // one interpreter per minor version
  for (const exe of candidates) {
    const probe = spawnSync(exe, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], { encoding: "utf8" });
    const version = probe.status === 0 ? probe.stdout.trim() : "";
    const minor = version.split(".").slice(0, 2).join(".");
    if (["3.12", "3.13", "3.14"].includes(minor) && !found.has(minor)) found.set(minor, { exe, version });
  }
  return [...found.values()];
}

/** The expected files are CPython 3.11's; exact comparisons need that python3 (null: none found). */
function python3Version(): string | null {
  const probe = spawnSync("python3", ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

const exact = { stdout: (s: string) => s, stderr: (s: string) => s };
const across314 = { stdout: messagesAcrossVersions, stderr: acrossVersions };

describe("differential corpus", function () {
  const names = programNames();
  const python = python3Version();
  const exactPython = python === "3.11";

  it("has at least 60 programs, each with a header comment and an expected output", function () {
    if (process.env.DIFF_PROGRAMS) this.skip();
    assert.ok(names.length >= 60, `only ${names.length} programs`);
    for (const name of names) {
      assert.match(readFileSync(join(PROGRAMS, name), "utf8"), /^# \S/, `${name} lacks a header comment`);
      assert.doesNotThrow(() => expectedFor(name), `${name} has no expected/*.json`);
    }
  });

  it("normalises only what VERSION_DIFFERENCES.md lists", () => {
    const t311 = [
      "Traceback (most recent call last):",
      '  File "x.py", line 3, in <module>',
      "    asyncio.run(main())",
      '  File "<stdlib>/asyncio/runners.py", line 190, in run',
      "    return runner.run(main)",
      "           ^^^^^^^^^^^^^^^^",
      '  File "x.py", line 2, in main',
      "    await f()",
      "TypeError: object NoneType can't be used in 'await' expression",
    ].join("\n");
    const t314 = [
      "Traceback (most recent call last):",
      '  File "x.py", line 3, in <module>',
      "    asyncio.run(main())",
      "    ~~~~~~~~~~~^^^^^^^^",
      '  File "<stdlib>/asyncio/runners.py", line 204, in run',
      "    return runner.run(main)",
      '  File "<stdlib>/asyncio/base_events.py", line 719, in run_until_complete',
      "    raise BaseExceptionGroup(",
      "    ...<2 lines>...",
      "    ) from None",
      '  File "x.py", line 2, in main',
      "    await f()",
      "TypeError: 'NoneType' object can't be awaited",
    ].join("\n");
    assert.equal(acrossVersions(t314), acrossVersions(t311));
    // A user frame, a product frame or another message is never normalised away.
    assert.notEqual(acrossVersions(t314.replace("line 2, in main", "line 9, in main")), acrossVersions(t311));
    const leaked = t311.replace('  File "x.py", line 2', '  File "/dist/python/asyncio_trace/runner.py", line 50, in run\n    exec(code)\n  File "x.py", line 2');
    assert.notEqual(acrossVersions(leaked), acrossVersions(t311));
    assert.notEqual(acrossVersions(t311.replace("NoneType", "int")), acrossVersions(t311));
    const logged311 = "Task exception was never retrieved\nfuture: <Task finished name='Task-2' coro=<w() done> exception=SystemExit(7)>\nTraceback (most recent call last):\n  File <stdlib>\n  File \"p.py\", line 8, in w\n    sys.exit(7)\nSystemExit: 7\n";
    const logged314 = logged311.replace("Traceback (most recent call last):\n", "Traceback (most recent call last):\n  File \"p.py\", line 16, in <module>\n    asyncio.run(main())\n");
    assert.equal(acrossVersions(logged314), acrossVersions(logged311));
    // Only for a SystemExit logged as never retrieved: an ordinary traceback keeps its <module> frame.
    assert.notEqual(acrossVersions(logged314.replace(/SystemExit/g, "ValueError")), acrossVersions(logged311.replace(/SystemExit/g, "ValueError")));
    assert.equal(normalise(`File "${PROGRAMS}${sep}a.py" at 0x7f00aa12`), 'File "a.py" at 0x...');
    assert.equal(normalise('File "/lib/python314.zip/asyncio/runners.py"'), 'File "<stdlib>/asyncio/runners.py"');
    assert.equal(normalise('File "/usr/lib/python3.11/asyncio/runners.py"'), 'File "<stdlib>/asyncio/runners.py"');
  });

  (suiteEnabled("oracle") ? describe : describe.skip)("oracle (python3) matches the committed expected files", () => {
    let workDir: string;
    before(function () {
      if (!exactPython) this.skip(); // expected/*.json are CPython 3.11's
      workDir = mkdtempSync(join(tmpdir(), "asyncio-trace-oracle-"));
    });
    after(() => {
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });
    for (const name of names) {
      it(name, () => compare(name, runOracle(name, workDir), exact));
    }
  });

  (suiteEnabled("local") ? describe : describe.skip)("local engine (python3) = CPython 3.11", () => {
    let engine: Engine | undefined;
    before(function () {
      if (!exactPython) this.skip(); // expected/*.json are CPython 3.11's
      engine = new LocalEngine({ distDir: join(ROOT, "dist") });
    });
    after(() => engine?.dispose());
    for (const name of names) {
      it(name, async () => compare(name, await runOnEngine(engine!, name), exact));
    }
  });

  // The local engine runs the user's own CPython (3.11-3.14): under each other version found here,
  // it must print what the oracle prints under that same version.
  for (const other of suiteEnabled("versions") ? otherPythons() : []) {
    describe(`local engine (python ${other.version}) = CPython ${other.version}`, function () {
      this.timeout(60_000);
      let engine: Engine | undefined;
      let workDir: string;
      before(() => {
        engine = new LocalEngine({ distDir: join(ROOT, "dist"), python: other.exe });
        workDir = mkdtempSync(join(tmpdir(), "asyncio-trace-oracle-"));
      });
      after(() => {
        engine?.dispose();
        if (workDir) rmSync(workDir, { recursive: true, force: true });
      });
      for (const name of names) {
        it(name, async () => {
          const expected = expectationFrom(runOracle(name, workDir, other.exe));
          compare(name, await runOnEngine(engine!, name), exact, expected, `CPython ${other.version}`);
        });
      }
    });
  }

  (suiteEnabled("embedded") ? describe : describe.skip)("embedded engine (Pyodide) = CPython 3.11 up to VERSION_DIFFERENCES.md", function () {
    this.timeout(120_000);
    let engine: EmbeddedEngine | undefined;
    before(async () => {
      engine = new EmbeddedEngine({ distDir: join(ROOT, "dist") });
      await engine.warm();
    });
    after(() => engine?.dispose());
    for (const name of names) {
      it(name, async () => compare(name, await runOnEngine(engine!, name), across314));
    }
  });
});
