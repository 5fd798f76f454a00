/**
 * Where the embedded engine's Pyodide memory snapshot lives and how we know it is current.
 *
 * Restoring a snapshot (asyncio and our tracer already imported) takes ~0.5 s against ~3.5 s for a
 * plain load. A snapshot is only valid for the exact Pyodide build and the exact Python sources it
 * was taken with, so it is keyed on both; a stale or missing one means a plain load, never a wrong
 * interpreter. Used by the engine host, the worker and the build script alike, so the key is
 * computed in one place.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Bump when the worker prepares the interpreter differently in a way SNAPSHOT_PRELOAD does not show. */
export const SNAPSHOT_FORMAT = 3;

/** Where our Python package sits inside Pyodide's in-memory file system. */
export const PYTHON_LIB_DIR = "/opt/asyncio-trace/python";

/**
 * Run once per interpreter before its snapshot is taken (or after a plain load): imports what every
 * run needs, so a restored interpreter starts with it compiled and initialised. Part of the key.
 */
export const SNAPSHOT_PRELOAD = String.raw`
import sys, os
if ${JSON.stringify(PYTHON_LIB_DIR)} not in sys.path:
    sys.path.append(${JSON.stringify(PYTHON_LIB_DIR)})
import asyncio, json, signal, traceback, linecache, warnings, logging, tokenize, io, time
# The "never awaited" RuntimeWarning imports tracemalloc (and with it pickle) to suggest enabling
# it; unzipping and loading those in WebAssembly cost some 100 ms on the first such warning.
import tracemalloc

# Pyodide replaces asyncio.run and time.sleep and installs its browser event loop; CPython has none of that.
try:
    from pyodide import webloop as _webloop
except ImportError:
    _webloop = None
if _webloop is not None:
    asyncio.run = getattr(_webloop, "_orig_run", asyncio.run)
    time.sleep = getattr(_webloop, "_orig_sleep", time.sleep)
    _policy = asyncio.events._event_loop_policy
    _loop = getattr(_policy, "_default_loop", None)
    asyncio.events._event_loop_policy = None
    try:
        if _loop is not None and not _loop.is_closed():
            _loop.close()
    except Exception:
        pass
    del _policy, _loop
del _webloop
# WebLoop's constructor registered itself as the running loop and may have set async generator hooks.
asyncio.events._set_running_loop(None)
sys.set_asyncgen_hooks(None, None)
if os.path.exists(${JSON.stringify(PYTHON_LIB_DIR + "/asyncio_trace/runner.py")}):
    import asyncio_trace.runner
`;

export function pyodideDir(distDir: string): string {
  return join(distDir, "pyodide");
}

export function pythonSourceDir(distDir: string): string {
  return join(distDir, "python");
}

/** The snapshot shipped with the build (gzipped: ~6 MB instead of ~31 MB). */
export function bundledSnapshotPaths(distDir: string): { data: string; meta: string } {
  return { data: join(pyodideDir(distDir), "snapshot.bin.gz"), meta: join(pyodideDir(distDir), "snapshot.json") };
}

/** A raw (not gzipped) snapshot: a copy of the bundled one, or one built lazily when that is missing or stale. */
export function cachedSnapshotPath(cacheDir: string, key: string): string {
  return join(cacheDir, `pyodide-snapshot-${key}.bin`);
}

/** Every .py file of our Python package, as paths relative to dist/python, sorted. */
export function listPythonSources(distDir: string): string[] {
  const root = pythonSourceDir(distDir);
  const found: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (name === "__pycache__" || name.startsWith(".")) continue;
      const full = join(dir, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else if (name.endsWith(".py")) found.push(relative(root, full).split(sep).join("/"));
    }
  };
  walk(root);
  return found;
}

export function pyodideVersion(distDir: string): string {
  return (JSON.parse(readFileSync(join(pyodideDir(distDir), "package.json"), "utf8")) as { version: string }).version;
}

/** Identifies the snapshot that matches this dist folder: Pyodide version + Python sources + format. */
export function snapshotKey(distDir: string): string {
  const hash = createHash("sha256");
  hash.update(`format ${SNAPSHOT_FORMAT}\npyodide ${pyodideVersion(distDir)}\n${SNAPSHOT_PRELOAD}\n`);
  for (const rel of listPythonSources(distDir)) {
    hash.update(`${rel}\n`);
    hash.update(readFileSync(join(pythonSourceDir(distDir), rel)));
    hash.update("\n");
  }
  return hash.digest("hex").slice(0, 24);
}

export interface SnapshotMeta {
  key: string;
  pyodideVersion: string;
  rawBytes: number;
}
