// Mocha entry for the extension-host tests. VS Code (test-electron, or our offline code-server
// runner in scripts/vscode-offline/) loads this file and calls run() inside its extension host.
import * as fs from "node:fs";
import * as path from "node:path";
import * as util from "node:util";
import Mocha from "mocha";

/** Prefix of every line mocha prints, so the offline runner can pick them out of the workbench log. */
export const LOG_PREFIX = "[mocha] ";

/** Every compiled *.test.js under this folder, sorted so the order is stable between runs. */
function collect(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...collect(p));
    else if (entry.name.endsWith(".test.js")) out.push(p);
  }
  return out.sort();
}

interface Report {
  passes: number;
  pending: number;
  failures: { title: string; error: string }[];
  durationMs: number;
}

/** Writes a summary where the offline runner can read it (it cannot see the host's stdout). */
function writeReport(report: Report): void {
  const file = process.env.ASYNCIO_TRACE_E2E_REPORT;
  if (file) fs.writeFileSync(file, JSON.stringify(report, null, 2));
}

export function run(): Promise<void> {
  // The extension host forwards console.log to the workbench; tag mocha's lines for the runner.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(LOG_PREFIX + util.format(...args));
  const mocha = new Mocha({ ui: "bdd", color: false, timeout: 60_000, reporter: "spec" });
  const grep = process.env.ASYNCIO_TRACE_TEST_GREP;
  if (grep) mocha.grep(new RegExp(grep));
  // activation*.test.js first: it asserts that nothing has activated the extension yet.
  const files = collect(__dirname);
  const first = (f: string) => (path.basename(f).startsWith("activation") ? 0 : 1);
  for (const file of files.sort((a, b) => first(a) - first(b))) mocha.addFile(file);

  const started = Date.now();
  const report: Report = { passes: 0, pending: 0, failures: [], durationMs: 0 };
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        report.durationMs = Date.now() - started;
        writeReport(report);
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else resolve();
      });
      runner.on("pass", () => report.passes++);
      runner.on("pending", () => report.pending++);
      runner.on("fail", (test, err: Error) => report.failures.push({ title: test.fullTitle(), error: err?.stack ?? String(err) }));
    } catch (e) {
      report.failures.push({ title: "loading the test files", error: (e as Error).stack ?? String(e) });
      writeReport(report);
      reject(e);
    }
  });
}
