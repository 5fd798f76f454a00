// Builds the embedded engine's memory snapshot (dist/pyodide/snapshot.bin.gz + snapshot.json):
// Pyodide with asyncio and our tracer already imported, so an interpreter restores in ~0.5 s
// instead of loading in ~3.5 s. Skipped when the existing snapshot matches the Pyodide version
// and the Python sources. Called by esbuild.mjs after the bundles exist; also runnable alone:
//   node scripts/buildPyodideSnapshot.mjs [distDir]
import * as esbuild from "esbuild";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function buildPyodideSnapshot(distDir = join(root, "dist")) {
  // The snapshot code lives in the engine (one key function for build and run time); bundle it to load it here.
  const helper = join(tmpdir(), `asyncio-trace-snapshot-builder-${process.pid}.cjs`);
  await esbuild.build({
    entryPoints: [join(root, "src/engine/embedded.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: helper,
    logLevel: "warning",
    external: ["pyodide"],
  });
  try {
    const { writeBundledSnapshot } = createRequire(import.meta.url)(helper);
    return await writeBundledSnapshot(resolve(distDir));
  } finally {
    rmSync(helper, { force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = Date.now();
  buildPyodideSnapshot(process.argv[2]).then(
    (r) => console.log(`snapshot ${r.built ? "built" : "up to date"}: key ${r.key}, ${(r.bytes / 1048576).toFixed(1)} MB gzipped, ${Date.now() - started} ms`),
    (e) => {
      console.error(`snapshot build failed: ${e.message}`);
      process.exit(1);
    },
  );
}
