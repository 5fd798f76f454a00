// One build() per target (see ../shared/STYLE.md): extension host, engine worker, CLI, webview.
// Type-checking is a separate step (`npm run typecheck`); esbuild only bundles.
import * as esbuild from "esbuild";
import { chmodSync, cpSync, mkdirSync, existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

const node = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: !production,
  minify: production,
  logLevel: "warning",
  // pyodide is loaded from dist/pyodide at run time, never bundled (its wasm must sit beside it).
  external: ["vscode", "pyodide"],
};

/** Each entry: [source, output]. Targets that do not exist yet are skipped so the tree builds at every commit. */
const nodeTargets = [
  ["src/extension.ts", "dist/extension.js"],
  ["src/cli.ts", "dist/cli.js"],
  ["src/engine/embeddedWorker.ts", "dist/embeddedWorker.js"],
];
const webTargets = [["src/webview/main.ts", "dist/webview.js"]];

/** Runtime files that ship beside the bundles (loaded from local disk, never the network). */
function copyRuntimeFiles() {
  // Resolve through node_modules directly: some packages do not export ./package.json.
  const pkgDir = (name) => join(dirname(require.resolve("./package.json")), "node_modules", name);
  const pyodideDir = pkgDir("pyodide");
  mkdirSync("dist/pyodide", { recursive: true });
  for (const f of ["pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide.mjs", "pyodide.js", "python_stdlib.zip", "pyodide-lock.json", "package.json"]) {
    cpSync(join(pyodideDir, f), join("dist/pyodide", f));
  }
  // Replaced whole: a module deleted from src must not linger in dist (the snapshot key hashes these files).
  rmSync("dist/python", { recursive: true, force: true });
  cpSync("src/engine/python", "dist/python", { recursive: true, filter: (p) => !p.includes("__pycache__") });
  const tsPython = pkgDir("tree-sitter-python");
  const webTs = pkgDir("web-tree-sitter");
  mkdirSync("dist/parser", { recursive: true });
  cpSync(join(tsPython, "tree-sitter-python.wasm"), "dist/parser/tree-sitter-python.wasm");
  cpSync(join(webTs, "tree-sitter.wasm"), "dist/parser/tree-sitter.wasm");
}

async function main() {
  mkdirSync("dist", { recursive: true });
  copyRuntimeFiles();
  const builds = [];
  for (const [entry, outfile] of nodeTargets) {
    if (!existsSync(entry)) continue;
    const banner = outfile === "dist/cli.js" ? { js: "#!/usr/bin/env node" } : undefined;
    builds.push({ ...node, entryPoints: [entry], outfile, banner });
  }
  for (const [entry, outfile] of webTargets) {
    if (!existsSync(entry)) continue;
    builds.push({ bundle: true, platform: "browser", target: "es2022", format: "iife", sourcemap: !production, minify: production, logLevel: "warning", entryPoints: [entry], outfile, loader: { ".css": "text" } });
  }
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    markCliExecutable();
  } else {
    await Promise.all(builds.map((b) => esbuild.build(b)));
    markCliExecutable();
    await buildSnapshotOrWarn();
  }
}

/**
 * `npx asyncio-trace` in a checkout runs dist/cli.js itself (npm links no bin for the root
 * package), so it must be executable; esbuild writes files without the x bit.
 */
function markCliExecutable() {
  if (existsSync("dist/cli.js")) chmodSync("dist/cli.js", 0o755);
}

/** The embedded engine's Pyodide memory snapshot (fast cold start). Without it the engine still works, only slower. */
async function buildSnapshotOrWarn() {
  if (!existsSync("dist/embeddedWorker.js") || process.env.ASYNCIO_TRACE_SKIP_SNAPSHOT) return;
  const { buildPyodideSnapshot } = await import("./scripts/buildPyodideSnapshot.mjs");
  try {
    await buildPyodideSnapshot();
  } catch (e) {
    console.warn(`warning: Pyodide snapshot not built (${e.message}); the embedded engine will load without it.`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
