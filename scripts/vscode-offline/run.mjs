#!/usr/bin/env node
// Offline stand-in for @vscode/test-electron: runs out/test/integration/index.js (mocha) inside
// the real VS Code 1.100.3 extension host that code-server provides, driven by Debian's chromium.
//
//   node scripts/vscode-offline/run.mjs                 # extension under development (this folder)
//   node scripts/vscode-offline/run.mjs --vsix x.vsix   # the packaged extension, installed first
//   options: --grep <regexp> (mocha grep), --keep (keep .cache/e2e/run-* for inspection)
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureCodeServer, installVsix, launchBrowser, makeRunDir, makeWorkspace, removeRunDir, REPO, HERE, startCodeServer, workbenchUrl } from "./codeServer.mjs";

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const vsix = opt("--vsix") && resolve(opt("--vsix"));
const grep = opt("--grep");
const keep = argv.includes("--keep");
const timeoutMs = Number(process.env.ASYNCIO_TRACE_E2E_TIMEOUT_MS ?? 15 * 60_000);
const verbose = !!process.env.ASYNCIO_TRACE_E2E_VERBOSE;

const testsPath = join(REPO, "out/test/integration/index.js");
if (!existsSync(testsPath)) {
  console.error(`run.mjs: ${testsPath} is missing; run "npm run compile-tests" first`);
  process.exit(2);
}
if (!vsix && !existsSync(join(REPO, "dist/extension.js"))) {
  console.error('run.mjs: dist/extension.js is missing; run "npm run build" first');
  process.exit(2);
}

const entry = ensureCodeServer();
const runDir = makeRunDir();
const workspace = makeWorkspace(runDir);
const reportFile = join(runDir, "report.json");
let devPath = REPO;
if (vsix) {
  installVsix(entry, runDir, vsix);
  // Tests need some extensionDevelopmentPath; an empty harness keeps the installed VSIX the only
  // copy of asyncio-trace that the extension host can load.
  devPath = join(HERE, "harness");
}

const label = vsix ? "VSIX" : "dev";
console.log(`[e2e:${label}] workspace ${workspace}`);
const serverLog = [];
const server = await startCodeServer(entry, runDir, {
  env: {
    ASYNCIO_TRACE_E2E_REPORT: reportFile,
    ASYNCIO_TRACE_E2E_ARTIFACTS: join(REPO, "test-artifacts"),
    ASYNCIO_TRACE_E2E_MODE: label,
    ...(grep ? { ASYNCIO_TRACE_TEST_GREP: grep } : {}),
  },
  log: (s) => {
    serverLog.push(s);
    if (verbose) process.stderr.write(`[code-server] ${s}`);
  },
});
console.log(`[e2e:${label}] code-server pid ${server.pid} on ${server.url}`);

let exitCode = 1;
let context;
try {
  context = await launchBrowser(runDir);
  const page = context.pages()[0] ?? (await context.newPage());
  const done = new Promise((res) => {
    page.exposeFunction("codeAutomationExit", (code) => res(Number(code))).catch(() => {});
  });
  // The extension host's console is forwarded to the workbench's; show what mocha prints.
  page.on("console", (msg) => {
    const text = msg.text();
    if (verbose) return console.log(`[browser:${msg.type()}] ${text}`);
    // test/integration/index.ts tags mocha's lines with "[mocha] "; the workbench adds its own prefix.
    const at = text.indexOf("[mocha] ");
    if (at >= 0) console.log(text.slice(at + "[mocha] ".length));
  });
  page.on("pageerror", (e) => verbose && console.log(`[browser:pageerror] ${e.message}`));
  await page.goto(workbenchUrl(server, workspace, { devPath, testsPath }));
  const timer = new Promise((res) => setTimeout(() => res("timeout"), timeoutMs).unref());
  const result = await Promise.race([done, timer]);
  if (result === "timeout") {
    console.error(`[e2e:${label}] no result after ${timeoutMs / 1000} s`);
    exitCode = 1;
  } else {
    exitCode = result;
  }
} catch (e) {
  console.error(`[e2e:${label}] ${e?.stack ?? e}`);
  exitCode = 1;
} finally {
  await context?.close().catch(() => {});
  await server.stop();
}

// The report is written by test/integration/index.ts from inside the extension host, so the
// outcome is known even if the console forwarding dropped lines.
if (existsSync(reportFile)) {
  const report = JSON.parse(readFileSync(reportFile, "utf8"));
  console.log(`[e2e:${label}] ${report.passes} passing, ${report.failures.length} failing, ${report.pending} pending (${report.durationMs} ms)`);
  for (const f of report.failures) console.log(`  FAIL ${f.title}\n    ${String(f.error).split("\n").join("\n    ")}`);
  if (report.failures.length && exitCode === 0) exitCode = 1;
  if (report.passes === 0 && exitCode === 0) {
    console.error(`[e2e:${label}] no test ran`);
    exitCode = 1;
  }
} else {
  console.error(`[e2e:${label}] the extension host wrote no report (tests did not start)`);
  if (!verbose) process.stderr.write(serverLog.join("").slice(-4000));
  exitCode = exitCode || 1;
}
if (!keep) removeRunDir(runDir);
else console.log(`[e2e:${label}] kept ${runDir}`);
console.log(`[e2e:${label}] exit ${exitCode}`);
process.exit(exitCode);
