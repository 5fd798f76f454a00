// The reliability and security matrix (issue 7), row by row, against the Engine API.
// The extension-host rows (responsiveness during a runaway run, latest trace wins in the panel)
// are in test/integration/reliability.test.ts.
import * as assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { createEngine } from "../../src/engine/createEngine";
import type { Engine, RunRequest } from "../../src/engine/types";
import type { Trace } from "../../src/core/trace/schema";
import { REPO } from "./fuzzPrograms";

const DIST = join(REPO, "dist");

function output(trace: Trace): string {
  return trace.events.flatMap((e) => (e.kind === "output" ? [e.text] : [])).join("");
}

/** A trace either ended normally or says clearly why not. */
function assertClear(trace: Trace, what: string): void {
  if (trace.status === "engine-error") assert.ok(trace.engineError && trace.engineError.length > 10, `${what}: engine-error without a message`);
  if (trace.uncaught) assert.ok(trace.uncaught.line.length > 0, `${what}: uncaught exception without a message`);
}

const HELLO = "import asyncio\n\nasync def hello(n):\n    await asyncio.sleep(n)\n    print('done', n)\n\nasync def main():\n    await asyncio.gather(hello(1), hello(2))\n\nasyncio.run(main())\n";

function assertHello(trace: Trace): void {
  assert.equal(trace.status, "ok", JSON.stringify(trace.uncaught ?? trace.engineError));
  assert.equal(trace.tasks.length, 3, `tasks: ${trace.tasks.map((t) => t.coro).join(", ")}`);
  assert.equal(trace.virtualTime, 2);
  assert.equal(output(trace), "done 1\ndone 2\n");
}

let gc: () => void = () => {};
try {
  v8.setFlagsFromString("--expose-gc");
  gc = vm.runInNewContext("gc") as () => void;
} catch {
  /* measure without forced GC */
}

describe("reliability matrix (engines)", function () {
  this.timeout(180_000);
  let embedded: Engine;
  let tmp: string;
  const run = (source: string, extra: Partial<RunRequest> = {}, engine: Engine = embedded) =>
    engine.run({ file: join(tmp, "prog.py"), source, budgetSeconds: 5, ...extra });

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), "asyncio-trace-rel-"));
    embedded = await createEngine("embedded", { distDir: DIST });
  });
  after(() => {
    embedded?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("while True: pass in a coroutine stops at the time budget", async () => {
    const t0 = Date.now();
    const trace = await run("import asyncio\n\nasync def spin():\n    while True:\n        pass\n\nasyncio.run(spin())\n", { budgetSeconds: 2 });
    const ms = Date.now() - t0;
    assert.equal(trace.status, "budget");
    assert.ok(ms < 2000 + 8000, `took ${ms} ms for a 2 s budget`);
    assertHello(await run(HELLO));
  });

  it("a deadlock ends with a result naming the waiting tasks", async () => {
    const trace = await run(
      "import asyncio\n\nasync def waiter(ev):\n    await ev.wait()\n\nasync def main():\n    ev = asyncio.Event()\n    await asyncio.gather(waiter(ev), waiter(ev), return_exceptions=True)\n\nasyncio.run(main())\n",
    );
    assert.equal(trace.status, "deadlock");
    const waiters = trace.deadlock?.waiters ?? [];
    const ids = new Set(trace.tasks.map((t) => t.id));
    assert.ok(waiters.length >= 2, `waiters: ${JSON.stringify(waiters)}`);
    for (const w of waiters) assert.ok(ids.has(w.task), `waiter ${w.task} is not a known task`);
  });

  it("a livelock (sleep(0) polling while a timer is pending) ends with a result", async () => {
    const trace = await run(
      "import asyncio\n\nflag = False\n\ndef set_flag():\n    global flag\n    flag = True\n\nasync def main():\n    asyncio.get_running_loop().call_later(10, set_flag)\n    while not flag:\n        await asyncio.sleep(0)\n\nasyncio.run(main())\n",
    );
    assert.equal(trace.status, "livelock", `status ${trace.status}`);
    assert.ok(trace.livelock && trace.livelock.tasks.length >= 1);
  });

  it("10 MB of output is capped with a marker", async () => {
    const cap = 256 * 1024;
    const trace = await run("import sys\nline = 'x' * 1023 + '\\n'\nfor _ in range(10 * 1024):\n    sys.stdout.write(line)\n", { outputCapBytes: cap });
    assert.equal(trace.outputTruncated, true);
    const text = output(trace);
    assert.ok(text.length <= cap + 4096, `kept ${text.length} chars of output for a ${cap} byte cap`);
    assert.ok(/truncat|cap|limit|dropped/i.test(text.slice(-1000)), `no marker at the end of the output: ${JSON.stringify(text.slice(-200))}`);
  });

  it("deep recursion ends with the Python error, and the next run works", async () => {
    // The budget is generous: a million-frame recursion takes a while before the runtime gives up.
    const trace = await run("import sys\nsys.setrecursionlimit(1_000_000)\n\ndef f(n):\n    return f(n + 1)\n\nf(0)\n", { budgetSeconds: 60 });
    assertClear(trace, "deep recursion");
    assert.ok(trace.status === "engine-error" || /RecursionError|MemoryError/.test(trace.uncaught?.type ?? ""), `status ${trace.status}, uncaught ${JSON.stringify(trace.uncaught)}`);
    assertHello(await run(HELLO));
  });

  it("a huge allocation ends with MemoryError, and the next run works", async () => {
    // 2.2 GB in two blocks: each fits an index (< 2 GiB) and both fit wasm32's 4 GB, so only the
    // engine's 2 GiB heap cap makes this fail (without it the run ends ok and this test fails).
    const trace = await run("blocks = [bytearray(1_100_000_000) for _ in range(2)]\n", { budgetSeconds: 60 });
    assertClear(trace, "huge allocation");
    assert.ok(trace.status === "engine-error" || trace.uncaught?.type === "MemoryError", `status ${trace.status}, uncaught ${JSON.stringify(trace.uncaught)}`);
    assertHello(await run(HELLO));
  });

  it("the worker crashing mid-run is reported, and the next run works", async () => {
    const trace = await run("import asyncio, os\n\nasync def main():\n    await asyncio.sleep(1)\n    os.abort()\n\nasyncio.run(main())\n");
    assert.notEqual(trace.status, "ok", "os.abort() inside the runtime cannot end normally");
    assertClear(trace, "abort");
    assertHello(await run(HELLO));
  });

  describe("bad input files give a clear message, not a crash", () => {
    const cases: [string, Buffer | string][] = [
      ["syntax error", "async def main(:\n    pass\n"],
      ["empty file", ""],
      ["binary file", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0xff, 0xfe, 0, 0x80, 10, 0])],
      ["non-UTF-8 file", Buffer.from("# caf\xe9 au lait\nprint('x')\n", "latin1")],
      ["a JSON file", '{"tasks": [1, 2,\n'],
    ];
    for (const [name, content] of cases) {
      it(name, async () => {
        const file = join(tmp, `input-${name.replace(/\W+/g, "-")}.py`);
        writeFileSync(file, content);
        const trace = await embedded.run({ file, budgetSeconds: 5 });
        assertClear(trace, name);
        if (name === "empty file") {
          assert.equal(trace.status, "ok");
          assert.equal(trace.exitCode, 0);
        } else {
          assert.ok(trace.uncaught || trace.status === "engine-error", `${name}: expected an error, got status ${trace.status}`);
          if (trace.uncaught) assert.match(trace.uncaught.type, /SyntaxError|ValueError|UnicodeDecodeError/);
        }
      });
    }
  });

  describe("the working folder (RunRequest.cwd)", () => {
    const CWD = "import os\nprint(os.getcwd())\n";
    for (const name of ["embedded", "local"] as const) {
      it(`${name}: the program runs in the given folder, by default in this process's, and a missing one is a clear message`, async () => {
        const engine = name === "embedded" ? embedded : await createEngine("local", { distDir: DIST });
        try {
          const folder = mkdtempSync(join(tmpdir(), "asyncio-trace-cwd-"));
          try {
            const given = await run(CWD, { cwd: folder }, engine);
            assert.equal(output(given), `${folder}\n`, given.engineError);
            const byDefault = await run(CWD, {}, engine);
            assert.equal(output(byDefault), `${process.cwd()}\n`, byDefault.engineError);
          } finally {
            rmSync(folder, { recursive: true, force: true });
          }
          for (const bad of [join(tmp, "no-such-folder"), join(tmp, "prog-is-a-file.txt")]) {
            writeFileSync(join(tmp, "prog-is-a-file.txt"), "");
            const trace = await run(CWD, { cwd: bad }, engine);
            assert.equal(trace.status, "engine-error", `${bad}: ${trace.status} ${output(trace)}`);
            assert.ok((trace.engineError ?? "").includes(`working folder '${bad}'`), trace.engineError);
          }
        } finally {
          if (engine !== embedded) engine.dispose();
        }
      });
    }
  });

  describe("the embedded sandbox: nothing on the host changes", () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    before(async () => {
      server = createServer((s) => {
        connections++;
        s.destroy();
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      port = (server.address() as { port: number }).port;
    });
    after(() => server.close());

    /** Runs code that attempts something; returns its trace (the attempt's own errors are printed). */
    const attempt = (body: string) => run(`import sys\ntry:\n${body.replace(/^/gm, "    ")}\nexcept BaseException as e:\n    print('blocked:', type(e).__name__, e)\n`);

    it("writing a file (open, pathlib) leaves the host untouched", async () => {
      const a = join(tmp, "pwned-open.txt");
      const b = join(tmpdir(), `asyncio-trace-pwned-${process.pid}.txt`);
      await attempt(`open(${JSON.stringify(a)}, 'w').write('x')\nimport pathlib\npathlib.Path(${JSON.stringify(b)}).write_text('x')\nprint('wrote')`);
      assert.equal(existsSync(a), false);
      assert.equal(existsSync(b), false);
    });

    it("reading ~/.ssh and host files finds nothing", async () => {
      // Outside the program's folder: small files beside the program are copied in on purpose.
      const secret = `TOPSECRET-${process.pid}-${Date.now()}`;
      const elsewhere = mkdtempSync(join(tmpdir(), "asyncio-trace-secret-"));
      const file = join(elsewhere, "secret.txt");
      writeFileSync(file, secret);
      try {
        // Each read on its own, so that the first refusal does not skip the others.
        const reads = ["os.listdir(os.path.expanduser('~/.ssh'))", "open('/etc/hostname').read()", `open(${JSON.stringify(file)}).read()`, `os.listdir(${JSON.stringify(elsewhere)})`];
        const trace = await run(`import os\n${reads.map((r) => `try:\n    print(${r})\nexcept OSError as e:\n    print('blocked:', type(e).__name__)`).join("\n")}\n`);
        const text = output(trace);
        assert.ok(!text.includes(secret) && !text.includes("secret.txt"), `the program read a host file: ${text}`);
        assert.equal(text.match(/^blocked: FileNotFoundError$/gm)?.length, reads.length, text);
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
    });

    it("opening a socket reaches nothing on the host", async () => {
      const before = connections;
      await attempt(`import socket\ns = socket.create_connection(('127.0.0.1', ${port}), timeout=1)\ns.sendall(b'hi')\nprint('connected')`);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(connections, before);
    });

    it("spawning a process does nothing on the host", async () => {
      // Each route touches its own file; every one must fail inside Python with an OSError.
      const routes: Record<string, (target: string) => string> = {
        "subprocess.run": (t) => `import subprocess\nsubprocess.run(['touch', ${JSON.stringify(t)}])`,
        "os.system": (t) => `import os\nos.system('touch ${t}')`,
        "posix.system": (t) => `import posix\nposix.system('touch ${t}')`,
        "os.popen": (t) => `import os\nos.popen('touch ${t}').read()`,
        "os.execv": (t) => `import os\nos.execv('/usr/bin/touch', ['touch', ${JSON.stringify(t)}])`,
        "os.spawnv": (t) => `import os\nos.spawnv(os.P_WAIT, '/usr/bin/touch', ['touch', ${JSON.stringify(t)}])`,
        "_posixsubprocess.fork_exec": () => "import _posixsubprocess\n_posixsubprocess.fork_exec()",
        "pty.spawn": (t) => `import pty\npty.spawn(['touch', ${JSON.stringify(t)}])`,
        "a reloaded posix": (t) => `import importlib, posix\nimportlib.reload(posix).system('touch ${t}')`,
      };
      const body = Object.entries(routes)
        .map(([name, code], i) => `try:\n${code(join(tmp, `spawned-${i}`)).replace(/^/gm, "    ")}\n    print(${JSON.stringify(name)}, 'returned')\nexcept BaseException as e:\n    print(${JSON.stringify(name)}, 'blocked:', type(e).__name__)`)
        .join("\n");
      const trace = await attempt(body);
      const text = output(trace);
      Object.keys(routes).forEach((name, i) => {
        assert.equal(existsSync(join(tmp, `spawned-${i}`)), false, `${name} ran a command on the host: ${text}`);
      });
      for (const name of ["subprocess.run", "os.system", "posix.system", "os.popen", "os.execv", "os.spawnv", "_posixsubprocess.fork_exec"]) {
        assert.ok(text.includes(`${name} blocked: OSError`) || text.includes(`${name} blocked: PermissionError`), `${name} did not fail with an OSError: ${text}`);
      }
    });

    it("the JavaScript bridge (import js / run_js) cannot reach Node's fs or child_process", async () => {
      const viaJs = join(tmp, "pwned-js");
      const viaRunJs = join(tmp, "pwned-runjs");
      const trace = await attempt(
        [
          "try:",
          "    import js",
          `    js.process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(viaJs)}, 'x')`,
          "except BaseException as e:",
          "    print('blocked:', type(e).__name__, e)",
          "from pyodide.code import run_js",
          `run_js("(globalThis.process && process.getBuiltinModule ? process.getBuiltinModule('fs') : require('fs')).writeFileSync(${JSON.stringify(JSON.stringify(viaRunJs)).slice(1, -1)}, 'x')")`,
        ].join("\n"),
      );
      assert.equal(existsSync(viaJs), false, `import js reached the host file system: ${output(trace)}`);
      assert.equal(existsSync(viaRunJs), false, `run_js reached the host file system: ${output(trace)}`);
    });
  });

  describe("local engine: missing or old python3", () => {
    it("a missing interpreter gives a clear message with the fix", async () => {
      const local = await createEngine("local", { python: join(tmp, "no-such-python3"), distDir: DIST });
      const trace = await local.run({ file: join(tmp, "prog.py"), source: HELLO, budgetSeconds: 5 });
      local.dispose();
      assert.equal(trace.status, "engine-error");
      assert.match(trace.engineError ?? "", /not found|no such|ENOENT/i);
      assert.match(trace.engineError ?? "", /pythonPath|install/i, "the message should say how to fix it");
    });

    it("an old python3 (3.8) gives a clear message naming the required version", async () => {
      const fake = join(tmp, "python3.8");
      writeFileSync(fake, '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Python 3.8.10"; else echo "3.8.10"; fi\n');
      chmodSync(fake, 0o755);
      const local = await createEngine("local", { python: fake, distDir: DIST });
      const trace = await local.run({ file: join(tmp, "prog.py"), source: HELLO, budgetSeconds: 5 });
      local.dispose();
      assert.equal(trace.status, "engine-error");
      assert.match(trace.engineError ?? "", /3\.8/);
      assert.match(trace.engineError ?? "", /3\.1\d/, "the message should name the version that is needed");
    });
  });

  describe("many runs", () => {
    it("20 traces in a row are all correct and host memory stays flat (within 20%)", async () => {
      const samples: number[] = [];
      for (let i = 0; i < 20; i++) {
        assertHello(await run(HELLO));
        gc();
        samples.push(process.memoryUsage().heapUsed);
      }
      const early = Math.max(...samples.slice(2, 5));
      const late = Math.max(...samples.slice(17, 20));
      assert.ok(late <= early * 1.2, `heap grew from ${(early / 2 ** 20).toFixed(1)} to ${(late / 2 ** 20).toFixed(1)} MiB over 20 runs`);
    });

    it("two traces started at once each resolve with their own program's result", async () => {
      const a = "import asyncio\n\nasync def alpha():\n    await asyncio.sleep(1)\n    print('alpha')\n\nasyncio.run(alpha())\n";
      const b = "import asyncio\n\nasync def beta():\n    await asyncio.sleep(4)\n    print('beta')\n\nasyncio.run(beta())\n";
      const [ta, tb] = await Promise.all([run(a, { file: join(tmp, "a.py") }), run(b, { file: join(tmp, "b.py") })]);
      for (const [t, name, vt] of [[ta, "alpha", 1], [tb, "beta", 4]] as const) {
        if (t.status === "stopped") continue; // an engine may stop the older run; it must say so
        assert.equal(t.status, "ok", `${name}: ${t.status} ${t.engineError ?? ""}`);
        assert.equal(output(t), `${name}\n`);
        assert.equal(t.virtualTime, vt);
        assert.ok(t.file.endsWith(name[0] + ".py"), `${name}'s trace names ${t.file}`);
      }
      assert.equal(tb.status, "ok", "the latest run must complete");
    });
  });
});
