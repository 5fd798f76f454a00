import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const CLI = path.join(ROOT, "dist", "cli.js");
const GATHER = path.join(ROOT, "examples", "gather_two_downloads.py");
const CONFORMANCE = path.resolve(ROOT, "..", "shared", "conformance", "check.py");

function cli(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "pipe"] });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("asyncio-trace CLI (run, trace)", function () {
  this.timeout(240_000);
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), "asyncio-trace-cli-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("run prints exactly what python3 prints for the program, and --report has the summary fields", () => {
    const report = path.join(dir, "report.json");
    const traced = cli(["run", GATHER, "--engine", "local", "--report", report]);
    assert.equal(traced.status, 0, traced.stderr);
    assert.equal(traced.stdout, "A: started\nB: started\nB: finished\nA: finished\n['A', 'B']\nelapsed 3.0 s\n");
    const data = JSON.parse(readFileSync(report, "utf8"));
    assert.equal(data.engine, "local");
    assert.match(data.python_version, /^3\.\d+\.\d+$/);
    assert.equal(data.virtual_time, 3);
    assert.equal(data.deadlock, false);
    assert.equal(data.livelock, false);
    assert.equal(data.uncaught, null);
    assert.deepEqual(data.tasks.map((t: { name: string }) => t.name), ["Task-1", "Task-2", "Task-3"]);
    assert.ok(data.events.length > 10);
  });

  it("starts as the README's `npx asyncio-trace` starts it: npx in the checkout runs the bin file itself", () => {
    // Without the npm_* variables of the npm or npx that may be running this test, as from a shell.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
    const result = spawnSync("npx", ["--no-install", "asyncio-trace", "run", GATHER], { cwd: ROOT, env, encoding: "utf8", timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /elapsed 3\.0 s\n$/);
  });

  it("run passes a deadlock through as exit 124 with who waits on what", () => {
    const result = cli(["run", path.join(ROOT, "test", "fixtures", "programs", "deadlock_event_never_set.py"), "--engine", "local"]);
    assert.equal(result.status, 124, result.stderr);
    assert.match(result.stderr, /deadlock/i);
    assert.match(result.stderr, /Event\.wait/);
  });

  it("trace prints the timeline and writes --json, --chrome-trace and a self-contained --html", () => {
    const json = path.join(dir, "t.json");
    const chrome = path.join(dir, "c.json");
    const html = path.join(dir, "t.html");
    const result = cli(["trace", GATHER, "--no-color", "--json", json, "--chrome-trace", chrome, "--html", html]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Task-2 {2}fetch\('A', 3\)/m);
    assert.match(result.stdout, /⏸ await {3}sleep\(3\)/);
    assert.match(result.stdout, /total virtual time 3\.0 s · sum of waits 5\.0 s/);
    const trace = JSON.parse(readFileSync(json, "utf8"));
    assert.equal(trace.engine, "embedded");
    assert.equal(trace.virtualTime, 3);
    assert.ok(Array.isArray(trace.findings));
    const events = JSON.parse(readFileSync(chrome, "utf8")).traceEvents as { ph: string; name: string }[];
    assert.ok(events.some((e) => e.ph === "X" && /sleep\(3\)/.test(e.name)));
    const page = readFileSync(html, "utf8");
    assert.match(page, /Content-Security-Policy/);
    assert.ok(page.includes("fetch('A', 3)"));
    assert.doesNotMatch(page, /<script[^>]+src=|<link[^>]+href="https?:/); // nothing loaded from elsewhere
  });

  it("rejects bad usage with exit 2 and a message", () => {
    const result = cli(["run", GATHER, "--engine", "nope"]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--engine must be embedded or local/);
    assert.equal(cli(["frobnicate"]).status, 2);
  });

  for (const engine of ["local", "embedded"]) {
    it(`passes the shared conformance check on the ${engine} engine (tutorial programs vs CPython 3.11.7)`, function () {
      if (!existsSync(CONFORMANCE)) this.skip(); // ../shared/ sits beside the clone in CI and dev sessions
      const result = spawnSync("python3", [CONFORMANCE, "--engine", engine], { cwd: ROOT, encoding: "utf8", timeout: 200_000 });
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /^19 passed, 0 failed$/m);
    });
  }
});

/** The CLI run with its stdin a pipe the test holds: `talk` writes to it as output arrives. */
function interactive(args: string[], talk: (stdout: string, stdin: NodeJS.WritableStream) => void = () => undefined) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => talk((stdout += chunk), child.stdin));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ status: number | null; stdout: string; stderr: string; stdinOpen: boolean }>((resolve) =>
    child.on("exit", (status) => resolve({ status, stdout, stderr, stdinOpen: !child.stdin.writableEnded })),
  );
  const guard = setTimeout(() => child.kill("SIGKILL"), 90_000); // a hang fails the assertions, not the suite
  void exited.finally(() => {
    clearTimeout(guard);
    child.stdin.destroy();
  });
  return { child, exited };
}

describe("asyncio-trace CLI: the program's stdin is the CLI's", function () {
  this.timeout(120_000);
  const ECHO = path.join(ROOT, "test", "fixtures", "embedded", "reads_stdin.py");
  const ASKS_NAME = path.join(ROOT, "test", "fixtures", "tracer", "asks_name.py");

  for (const engine of ["embedded", "local"]) {
    it(`${engine}: input() reads each line as it is typed, then EOF when stdin closes, as python3 does`, async () => {
      const { child, exited } = interactive(["run", ECHO, "--engine", engine], (stdout, stdin) => {
        if (stdout === "got one\n") stdin.write("two\n");
        else if (stdout === "got one\ngot two\n") stdin.end();
      });
      child.stdin.write("one\n");
      const run = await exited;
      const native = spawnSync("python3", [ECHO], { input: "one\ntwo\n", encoding: "utf8" });
      assert.equal(run.stderr, "");
      assert.equal(run.stdout, native.stdout);
      assert.equal(run.status, native.status);
    });

    it(`${engine}: a program reading 300 KB of piped stdin gets every byte, as python3 does`, () => {
      const digest = path.join(ROOT, "test", "fixtures", "tracer", "stdin_digest.py");
      const input = Array.from({ length: 6000 }, (_, i) => `line ${i} ${"é€".repeat(i % 37)}`).join("\n");
      const traced = spawnSync(process.execPath, [CLI, "run", digest, "--engine", engine], { input, encoding: "utf8", timeout: 60_000 });
      const native = spawnSync("python3", [digest], { input, encoding: "utf8" });
      assert.ok(Buffer.byteLength(input) > 300_000);
      assert.equal(traced.stderr, "");
      assert.equal(traced.stdout, native.stdout);
    });

    it(`${engine}: a program waiting for input stops at the budget, and the CLI exits with its stdin still open`, async () => {
      const { exited } = interactive(["run", ECHO, "--engine", engine, "--budget", "1"]);
      const run = await exited;
      assert.equal(run.status, 152, run.stderr);
      assert.match(run.stderr, /^asyncio-trace: stopped after 1 s of wall-clock time \(the program was still running at virtual t=0, at line 4\)\n$/);
      assert.ok(run.stdinOpen, "the CLI exited only because its stdin closed");
    });

    it(`${engine}: Ctrl-C while the program waits for input stops it where it waits`, async () => {
      const { child, exited } = interactive(["run", ASKS_NAME, "--engine", engine], (stdout) => {
        if (stdout === "name? ") child.kill("SIGINT");
      });
      const run = await exited;
      assert.equal(run.stdout, "name? ");
      assert.equal(run.status, 130, run.stderr);
      assert.match(run.stderr, /^asyncio-trace: stopped at virtual t=0, in Task-1 at line 7\n$/);
      assert.ok(run.stdinOpen);
    });
  }
});

describe("asyncio-trace CLI: when the output's reader goes away (`run FILE | head`)", function () {
  this.timeout(120_000);
  const PRINTS_FOREVER = path.join(ROOT, "test", "fixtures", "tracer", "prints_forever.py");

  for (const engine of ["embedded", "local"]) {
    it(`${engine}: run stops the program once stdout is closed, and exits 141 without an error`, async () => {
      const { child, exited } = interactive(["run", PRINTS_FOREVER, "--engine", engine], (stdout) => {
        if (stdout.includes("line 3\n")) child.stdout.destroy();
      });
      const run = await exited;
      assert.match(run.stdout, /^line 1\nline 2\nline 3\n/);
      assert.equal(run.stderr, "");
      // 141, not 152: the program was stopped when head left, not at its 10 s budget.
      assert.equal(run.status, 141);
    });

    it(`${engine}: the same when the reader of stderr goes away (\`2>&1 >/dev/null | head\`)`, async () => {
      const child = spawn(process.execPath, [CLI, "run", PRINTS_FOREVER, "stderr", "--engine", engine], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
        if (stderr.includes("line 3\n")) child.stderr.destroy();
      });
      const guard = setTimeout(() => child.kill("SIGKILL"), 90_000);
      const status = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      clearTimeout(guard);
      assert.match(stderr, /^line 1\nline 2\nline 3\n/);
      assert.equal(status, 141);
    });

    it(`${engine}: trace still writes its files when stdout is closed before the timeline is printed`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "asyncio-trace-closed-"));
      try {
        const json = path.join(dir, "trace.json");
        const { child, exited } = interactive(["trace", GATHER, "--engine", engine, "--json", json]);
        child.stdout.destroy();
        const run = await exited;
        assert.equal(run.stderr, "");
        assert.equal(run.status, 141);
        const trace = JSON.parse(readFileSync(json, "utf8"));
        assert.equal(trace.status, "ok");
        assert.equal(trace.exitCode, 0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
