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

/** Bump when the worker's preparation of the interpreter changes what the snapshot contains. */
export const SNAPSHOT_FORMAT = 3;

/** Where our Python package sits inside Pyodide's in-memory file system. */
export const PYTHON_LIB_DIR = "/opt/asyncio-trace/python";

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
  hash.update(`format ${SNAPSHOT_FORMAT}\npyodide ${pyodideVersion(distDir)}\n`);
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
