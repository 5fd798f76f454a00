/**
 * The embedded engine's worker: one Pyodide interpreter that serves exactly one run, then is
 * discarded, so nothing (task numbering, modules, globals, warning registries) leaks between runs.
 *
 * Modes:
 * - "interpreter": wait for the runtime parts, load (from the memory snapshot when given), report
 *   "ready", wait for one "run".
 * - "make-snapshot": load plainly, import asyncio and our tracer, send back a memory snapshot.
 *
 * The program sees an in-memory copy of its folder at the real absolute paths; the host file
 * system is never mounted, sockets cannot connect, processes cannot start (not even through the C
 * library's system()), the heap stops at 2 GiB, and the JavaScript bridge is sealed off before the
 * program's first line runs.
 *
 * What the seal is and is not: it removes every import route to JavaScript (js, pyodide_js,
 * pyodide.*, _pyodide*, ctypes, which can call emscripten_run_script) and every JsProxy from the
 * program's config, so ordinary and accidental code cannot touch the host. Pyodide's own modules
 * still exist in memory. gc.get_objects() no longer lists them (the runner freezes the heap before
 * the program starts), but code written to dig them out by other introspection could reach the
 * bridge: the sandbox protects the user from their program's mistakes, it is not a jail.
 */
import { parentPort, workerData } from "node:worker_threads";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { StdinReader } from "./stdinChannel";
import { PYTHON_LIB_DIR, SNAPSHOT_PRELOAD, listPythonSources, pyodideDir, pythonSourceDir, snapshotKey, pyodideVersion } from "./pyodideSnapshot";
import { CONTROL_INTERRUPT, CONTROL_PHASE, PHASE_PROGRAM_RUNNING, PHASE_WRITING_TRACE, wasmApi, type CompiledWasm, type HostToWorker, type RuntimeParts, type WorkerInit, type WorkerRunRequest, type WorkerToHost } from "./embeddedProtocol";

// Bounds on the copy of the program's folder: enough for a project of modules, not a home directory.
const MAX_COPIED_FILES = 2000;
const MAX_COPIED_BYTES = 32 * 1024 * 1024;
const MAX_COPIED_FILE_BYTES = 4 * 1024 * 1024;
const MAX_DATA_FILE_BYTES = 1024 * 1024;
const MAX_PACKAGE_DEPTH = 6;
// A program in /tmp or a home folder must not make us walk a huge tree: listings are bounded too.
const MAX_VISITED_DIRS = 400;
const MAX_EXAMINED_ENTRIES = 20000;
const SKIPPED_DIRS = new Set(["__pycache__", "node_modules", "site-packages", "venv", "env"]);

// The Python half of the worker. It lives in a private namespace, never in the program's __main__.
const BOOTSTRAP = String.raw`
import json as _json, signal as _signal, sys as _sys

_stop = {"reason": None}


def _record(reason):
    # Only records: a stop can come while the engine sets up or writes the trace, and neither may be
    # broken off. While the program runs, the runner wraps these to halt it (_wrap_host_interrupts).
    def handler(signum, frame):
        _stop["reason"] = reason
    return handler


# Installed before the host is told this interpreter is ready, so that no stop is ever lost.
_signal.signal(_signal.SIGINT, _record("stopped"))
_signal.signal(_signal.SIGUSR1, _record("budget"))


def _stop_reason():
    return _stop["reason"]


def _warm_clock():
    # The tracer reads the real clock a few times per task step, and in WebAssembly each read is a
    # call out to Emscripten's JavaScript glue, which every new worker starts cold: until V8 has
    # optimised it, a read costs 2-14 µs instead of 0.5 µs, some 10 ms over a run of 1,000 tasks.
    # This interpreter is being readied ahead of its run, so that cost is paid here instead.
    import time

    read = time.perf_counter
    for _ in range(5000):
        read()


_warm_clock()


# Through these the program could reach JavaScript, and from there the host's files and network.
_BLOCKED = frozenset(("js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "ctypes", "_ctypes", "micropip"))


class SandboxImportBlocker:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] in _BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


# Emscripten runs os.system() through Node's child_process on the host; the other routes fail with
# odd errors (Exec format error, out of pty devices). All of them say the same clear thing instead.
_PROCESS_FUNCTIONS = (
    "system", "popen", "fork", "forkpty", "fork1", "posix_spawn", "posix_spawnp",
    "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe",
    "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe",
)


def _refuse_processes(name):
    import errno

    def refuse(*args, **kwargs):
        raise OSError(errno.ENOTSUP, f"the embedded engine cannot start processes ({name}); trace with the local engine to run them")

    refuse.__name__ = refuse.__qualname__ = name.rpartition(".")[2]
    return refuse


def _deny_processes():
    import os, posix, _posixsubprocess
    for module in (posix, os):
        for name in _PROCESS_FUNCTIONS:
            if hasattr(module, name):
                setattr(module, name, _refuse_processes(f"{module.__name__}.{name}"))
    _posixsubprocess.fork_exec = _refuse_processes("_posixsubprocess.fork_exec")


def _seal():
    _deny_processes()
    _sys.meta_path[:] = [f for f in _sys.meta_path if type(f).__name__ != "JsFinder"]
    _sys.meta_path.insert(0, SandboxImportBlocker)
    for name in list(_sys.modules):
        if name.partition(".")[0] in _BLOCKED:
            del _sys.modules[name]


def run_embedded(config_json):
    config = _json.loads(config_json)
    from asyncio_trace import runner
    _seal()
    # Stack switching gives each call from JavaScript its own thread state: clear what Pyodide left on it.
    import asyncio
    asyncio.events._set_running_loop(None)
    _sys.set_asyncgen_hooks(None, None)
    config["stop_reason"] = _stop_reason
    return runner.run_program(config)


def trace_bytes(recorder):
    # UTF-8 bytes, not str: Pyodide turns a long str into a JavaScript string character by
    # character (~100 ms for a 1 MB trace), while bytes cross as one memory copy.
    return f"{int(recorder.exit_code)}\n{recorder.to_json()}".encode("utf-8", "replace")
`;


/* eslint-disable @typescript-eslint/no-explicit-any -- Pyodide's API is untyped here on purpose: it is loaded at run time from dist/. */
type Pyodide = any;
/** A PyProxy of a Python object, released with destroy(). */
interface PyObject {
  destroy(): void;
}
/** A PyProxy of a Python bytes object. */
interface PyBytes extends PyObject {
  toJs(): Uint8Array;
}

const init = workerData as WorkerInit;
const port = parentPort!;

function post(message: WorkerToHost, transfer?: ArrayBuffer[]): void {
  port.postMessage(message, transfer);
}

/** Emscripten's errno for "Function not implemented". */
const EMSCRIPTEN_ENOSYS = 52;
/**
 * The interpreter's heap stops growing here, so a huge allocation is a MemoryError in Python. The
 * wasm32 limit (4 GB) is too much to take from the extension host's process, which also runs VS Code.
 */
const MAX_HEAP_BYTES = 2 * 1024 ** 3;

/**
 * Replaces the runtime's host hooks before the wasm is linked to them. Emscripten implements C's
 * system() in JavaScript with Node's child_process.spawnSync: whoever reaches the C function (posix
 * before the Python seal, a reloaded posix module, ctypes) would run a shell command on the host.
 * Linked to this stub instead, system() reports "no shell" (NULL) or fails with ENOSYS, as in a browser.
 */
function sealWasmImports(imports: unknown): void {
  const env = (imports as { env?: Record<string, unknown> } | undefined)?.env;
  if (!env || typeof env._emscripten_system !== "function") return; // a side module (shared library), not the runtime
  env._emscripten_system = (command: number) => (command ? -EMSCRIPTEN_ENOSYS : 0);
  systemSealed = true;
  const resizeHeap = env.emscripten_resize_heap as ((requestedBytes: number) => number | boolean) | undefined;
  if (typeof resizeHeap === "function") {
    env.emscripten_resize_heap = (requestedBytes: number) => ((requestedBytes >>> 0) > MAX_HEAP_BYTES ? 0 : resizeHeap(requestedBytes));
    env.emscripten_get_heap_max = () => MAX_HEAP_BYTES;
  }
}
let systemSealed = false;

/** Seals every instantiation and, when given, hands Pyodide the host's already-compiled module instead of compiling its wasm again. */
function wrapInstantiate(compiled: CompiledWasm | undefined): void {
  const api = wasmApi();
  const instantiate = api.instantiate.bind(api);
  api.instantiate = async (source: unknown, imports?: object) => {
    sealWasmImports(imports);
    if (source instanceof api.Module || !compiled) return instantiate(source, imports);
    const instance = await instantiate(compiled, imports);
    return { instance, module: compiled };
  };
}

async function loadRuntime(options: Record<string, unknown>): Promise<Pyodide> {
  const dir = pyodideDir(init.distDir);
  // A plain import() keeps Pyodide out of the bundle; its wasm and stdlib must sit beside it.
  const { loadPyodide } = await import(pathToFileURL(join(dir, "pyodide.mjs")).href);
  return loadPyodide({
    indexURL: dir + "/",
    lockFileURL: join(dir, "pyodide-lock.json"),
    stdout: () => undefined,
    stderr: () => undefined,
    ...options,
  });
}

/** Our Python package lives in MEMFS; the snapshot holds the memory, not the file system. */
function installTracerSources(py: Pyodide): void {
  const FS = py.FS;
  for (const rel of listPythonSources(init.distDir)) {
    const target = `${PYTHON_LIB_DIR}/${rel}`;
    FS.mkdirTree(dirname(target));
    FS.writeFile(target, readFileSync(join(pythonSourceDir(init.distDir), rel)));
  }
}

/** No network: emscripten would otherwise open real WebSockets for connect() and listen(). */
function denySockets(py: Pyodide): void {
  const module = py._module;
  const ops = module?.SOCKFS?.websocket_sock_ops;
  if (!ops) return;
  const fail = (errno: number) => () => {
    throw new module.FS.ErrnoError(errno);
  };
  ops.connect = fail(module.ERRNO_CODES.ENETUNREACH);
  ops.sendmsg = fail(module.ERRNO_CODES.ENETUNREACH);
  ops.listen = fail(module.ERRNO_CODES.EACCES);
  ops.bind = fail(module.ERRNO_CODES.EACCES);
}

async function makeSnapshot(): Promise<void> {
  wrapInstantiate(undefined);
  const py = await loadRuntime({ _makeSnapshot: true });
  installTracerSources(py);
  py.runPython(SNAPSHOT_PRELOAD);
  const bytes: Uint8Array = py.makeMemorySnapshot();
  post({ type: "snapshot", key: snapshotKey(init.distDir), pyodideVersion: pyodideVersion(init.distDir), bytes }, [bytes.buffer as ArrayBuffer]);
}

/** Copies what the program may import or read: its folder's modules and packages, and small data files beside it. */
function installProgramFiles(py: Pyodide, request: WorkerRunRequest): void {
  const FS = py.FS;
  const programDir = dirname(request.file);
  let files = 0;
  let bytes = 0;
  const copy = (hostPath: string, size: number): void => {
    if (files >= MAX_COPIED_FILES || bytes + size > MAX_COPIED_BYTES) return;
    try {
      const data = readFileSync(hostPath);
      FS.mkdirTree(dirname(hostPath));
      FS.writeFile(hostPath, data);
      files += 1;
      bytes += data.length;
    } catch {
      // Unreadable files are simply absent in the sandbox, as if permissions hid them.
    }
  };
  // Breadth-first so modules near the program win when the bounds are reached.
  const queue: Array<{ dir: string; depth: number }> = [{ dir: programDir, depth: 0 }];
  let visited = 0;
  let examined = 0;
  while (queue.length > 0 && visited < MAX_VISITED_DIRS && examined < MAX_EXAMINED_ENTRIES) {
    const { dir, depth } = queue.shift()!;
    visited += 1;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (++examined > MAX_EXAMINED_ENTRIES) break;
      if (name.startsWith(".")) continue;
      const full = join(dir, name);
      if (full === request.file) continue;
      let stat;
      try {
        stat = lstatSync(full); // symlinks are not followed: they could point anywhere on the host
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (depth < MAX_PACKAGE_DEPTH && !SKIPPED_DIRS.has(name)) queue.push({ dir: full, depth: depth + 1 });
      } else if (stat.isFile()) {
        const isModule = name.endsWith(".py");
        if (isModule && stat.size <= MAX_COPIED_FILE_BYTES) copy(full, stat.size);
        else if (!isModule && depth === 0 && stat.size <= MAX_DATA_FILE_BYTES) copy(full, stat.size);
      }
    }
  }
  FS.mkdirTree(programDir);
  // The program itself always lands, at its real path, whatever its name or size.
  if (request.source !== null) FS.writeFile(request.file, request.source);
  else FS.writeFile(request.file, readFileSync(request.file));
  FS.mkdirTree(request.cwd);
  FS.chdir(request.cwd);
}

function streamTo(stream: "stdout" | "stderr"): { write: (buffer: Uint8Array) => number; isatty: boolean; flush: () => void } {
  const decoder = new TextDecoder("utf-8");
  return {
    isatty: false,
    write(buffer: Uint8Array): number {
      const chunk = decoder.decode(buffer, { stream: true });
      if (chunk) post({ type: "output", stream, chunk });
      return buffer.length;
    },
    flush(): void {
      const rest = decoder.decode();
      if (rest) post({ type: "output", stream, chunk: rest });
    },
  };
}

function stdinFor(request: WorkerRunRequest): { read: (buffer: Uint8Array) => number; isatty: boolean } {
  if (request.stdin.kind === "inherit") {
    const interrupt = new Int32Array(init.control, CONTROL_INTERRUPT * 4, 1);
    const reader = new StdinReader(
      request.stdin.channel,
      () => post({ type: "stdin-wanted" }),
      () => Atomics.load(interrupt, 0) !== 0,
    );
    return { isatty: false, read: (buffer: Uint8Array) => reader.read(buffer) };
  }
  const data = Buffer.from(request.stdin.kind === "text" ? request.stdin.text : "", "utf8");
  let offset = 0;
  return {
    isatty: false,
    read(buffer: Uint8Array): number {
      const n = Math.min(buffer.length, data.length - offset);
      buffer.set(data.subarray(offset, offset + n));
      offset += n;
      return n;
    },
  };
}

/** The BOOTSTRAP functions one run calls. The Recorder stays a Python object between the two calls. */
interface RunFunctions {
  runEmbedded(configJson: string): PyObject;
  traceBytes(recorder: PyObject): PyBytes;
}

function runProgram(py: Pyodide, run: RunFunctions, request: WorkerRunRequest): void {
  installProgramFiles(py, request);
  const stdout = streamTo("stdout");
  const stderr = streamTo("stderr");
  py.setStdout(stdout);
  py.setStderr(stderr);
  py.setStdin(stdinFor(request));
  const config = {
    file: request.file,
    source: null, // the runner reads the in-memory copy, so encoding and null-byte errors are CPython's own
    args: request.args,
    engine: "embedded",
    budget_seconds: request.budgetSeconds,
    output_cap_bytes: request.outputCapBytes,
    simulated_latency: request.simulatedLatency,
    top_level_await: request.topLevelAwait,
  };
  const phase = new Int32Array(init.control, CONTROL_PHASE * 4, 1);
  let recorder: PyObject;
  Atomics.store(phase, 0, PHASE_PROGRAM_RUNNING);
  post({ type: "program-started" });
  try {
    recorder = run.runEmbedded(JSON.stringify(config));
  } finally {
    stdout.flush();
    stderr.flush();
    // From here on an interrupt has nothing left to stop; the host waits for the trace instead.
    Atomics.store(phase, 0, PHASE_WRITING_TRACE);
  }
  let result: Uint8Array;
  try {
    const proxy = run.traceBytes(recorder);
    try {
      result = proxy.toJs();
    } finally {
      proxy.destroy();
    }
  } finally {
    recorder.destroy();
  }
  const newline = result.indexOf(0x0a);
  const exitCode = Number(new TextDecoder().decode(result.subarray(0, newline)));
  const trace = result.slice(newline + 1);
  post({ type: "done", exitCode, trace }, [trace.buffer as ArrayBuffer]);
}

function nextMessage(): Promise<HostToWorker> {
  return new Promise((resolvePromise) => port.once("message", resolvePromise));
}

async function serveOneRun(): Promise<void> {
  const started = performance.now();
  let py: Pyodide;
  let parts: RuntimeParts = {};
  try {
    // Start importing Pyodide's JS while the host is still gunzipping the snapshot and compiling the wasm.
    const importing = import(pathToFileURL(join(pyodideDir(init.distDir), "pyodide.mjs")).href);
    const message = await nextMessage();
    if (message.type === "runtime") parts = message.parts;
    await importing;
    wrapInstantiate(parts.wasm);
    py = await loadRuntime(parts.snapshot ? { _loadSnapshot: parts.snapshot } : {});
    installTracerSources(py);
    if (!parts.snapshot) py.runPython(SNAPSHOT_PRELOAD);
    denySockets(py);
    if (!systemSealed) throw new Error("the sandbox could not unlink system() from the host's shell (Pyodide changed how it loads)");
    py.setInterruptBuffer(new Int32Array(init.control, CONTROL_INTERRUPT * 4, 1));
  } catch (error) {
    post({ type: "load-failed", message: describe(error) });
    return;
  }
  const namespace = py.globals.get("dict")();
  // Named inside our package folder so the tracer hides this frame as engine code.
  py.runPython(BOOTSTRAP, { globals: namespace, filename: `${PYTHON_LIB_DIR}/asyncio_trace/_embedded_host.py` });
  const run: RunFunctions = { runEmbedded: namespace.get("run_embedded"), traceBytes: namespace.get("trace_bytes") };
  const pythonVersion: string = py.runPython("import platform; platform.python_version()");
  post({ type: "ready", pythonVersion, loadMs: performance.now() - started, fromSnapshot: Boolean(parts.snapshot) });
  port.once("message", (message: HostToWorker) => {
    if (message.type !== "run") return;
    try {
      runProgram(py, run, message.request);
    } catch (error) {
      post({ type: "engine-error", message: describe(error) });
    }
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || String(error);
  return String(error);
}

if (init.mode === "make-snapshot") {
  makeSnapshot().catch((error) => post({ type: "load-failed", message: describe(error) }));
} else {
  void serveOneRun();
}
