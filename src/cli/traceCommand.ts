import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs, stringOption, UsageError } from "./args";
import { ENGINE_VALUE_OPTIONS, runProgramFromArgs } from "./runProgram";
import { computeFindings } from "../core/findings";
import { renderTextTimeline } from "../core/trace/textTimeline";
import { toChromeTrace } from "../core/trace/chromeTrace";
import { buildStandaloneHtml } from "../panel/standaloneHtml";

const HELP = `usage: asyncio-trace trace FILE [ARGS...] [options] [-- ARGS...]

Runs FILE on the virtual clock and prints a text timeline: a lane per task, what each task
waited on, spans where the loop was blocked, total virtual time against the sum of waits,
and the findings of the run.

options:
  --engine embedded|local  embedded CPython (WebAssembly, default) or your python3
  --python EXE             interpreter for --engine local (default python3)
  --json OUT.json          write the trace and its findings as JSON
  --chrome-trace OUT.json  write Trace Event Format (open in Perfetto or chrome://tracing)
  --html OUT.html          write a self-contained page with the interactive timeline
  --budget SECONDS         wall-clock budget (default 10)
  --latency SECONDS        simulated network latency (default 0.1)
  --max-output BYTES       output kept before a truncation marker (default 1048576)
  --no-color               plain text even on a terminal

exit status: the program's own (as with run).
`;

export async function traceCommand(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    const parsed = parseArgs(args, { values: [...ENGINE_VALUE_OPTIONS, "json", "chrome-trace", "html"], flags: ["no-color"] });
    const { trace } = await runProgramFromArgs(parsed, false);
    const findings = computeFindings(trace);
    const color = !parsed.options.has("no-color") && process.stdout.isTTY === true && !process.env.NO_COLOR;
    process.stdout.write(renderTextTimeline(trace, findings, { color, width: process.stdout.columns }));
    const jsonPath = stringOption(parsed, "json");
    if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ ...trace, findings }));
    const chromePath = stringOption(parsed, "chrome-trace");
    if (chromePath) writeFileSync(chromePath, JSON.stringify(toChromeTrace(trace)));
    const htmlPath = stringOption(parsed, "html");
    if (htmlPath) {
      const bundle = readFileSync(path.join(__dirname, "webview.js"), "utf8");
      writeFileSync(htmlPath, buildStandaloneHtml(trace, findings, bundle));
    }
    return trace.exitCode;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`asyncio-trace trace: ${err.message}\n\n${HELP}`);
      return 2;
    }
    throw err;
  }
}
