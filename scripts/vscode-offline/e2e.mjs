#!/usr/bin/env node
// The whole offline end-to-end suite, in order:
//   1. extension-host tests against this folder (extensionDevelopmentPath);
//   2. `npm run package`, then the VSIX is checked (size, contents, manifest);
//   3. the VSIX is installed into a fresh code-server: activation + smoke tests in its host;
//   4. UI smoke through the browser against the installed VSIX (palette, webview, Problems).
// Every step runs even if an earlier one failed, so one run shows everything; exit 1 if any failed.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO, HERE } from "./codeServer.mjs";
import { checkVsix } from "./vsix.mjs";

const results = [];
const step = (name, fn) => {
  const t0 = Date.now();
  console.log(`\n=== e2e: ${name}`);
  let ok;
  try {
    ok = fn();
  } catch (e) {
    console.error(e?.stack ?? e);
    ok = false;
  }
  results.push({ name, ok, s: Math.round((Date.now() - t0) / 1000) });
  return ok;
};
const node = (...args) => spawnSync(process.execPath, args, { cwd: REPO, stdio: "inherit" }).status === 0;
const vsix = join(REPO, "asyncio-trace.vsix");

step("extension-host tests (development folder)", () => node(join(HERE, "run.mjs")));
const packaged = step("package the VSIX", () => spawnSync("npm", ["run", "package"], { cwd: REPO, stdio: "inherit" }).status === 0);
if (packaged) {
  step("check the VSIX (size, files, manifest)", () => {
    const { size, files, problems } = checkVsix(vsix);
    console.log(`VSIX: ${files.length} files, ${(size / 2 ** 20).toFixed(2)} MiB`);
    for (const p of problems) console.log(`  PROBLEM ${p}`);
    return problems.length === 0;
  });
  step("extension-host smoke tests (installed VSIX)", () => node(join(HERE, "run.mjs"), "--vsix", vsix, "--grep", "^(activation|smoke)"));
  step("UI smoke through the browser (installed VSIX)", () => node(join(HERE, "uiSmoke.mjs"), "--vsix", vsix));
}

console.log("\n=== e2e summary");
for (const r of results) console.log(`  ${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.s} s)`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
