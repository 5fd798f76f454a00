import { writeFileSync } from "node:fs";
import { parseArgs, stringOption, UsageError } from "./args";
import { ENGINE_VALUE_OPTIONS, runProgramFromArgs } from "./runProgram";
import { buildRunReport } from "./report";
import { computeFindings } from "../core/findings";
import { outputClosed } from "./closedOutput";

const HELP = `usage: asyncio-trace run FILE [ARGS...] [options] [-- ARGS...]

Runs FILE like \`python FILE\`, on the virtual clock: the program's own stdout, stderr and exit
status. await asyncio.sleep(3) takes no real time; time.sleep(3) blocks the loop for 3 virtual s.

options:
  --engine embedded|local  embedded CPython (WebAssembly, default) or your python3
  --python EXE             interpreter for --engine local (default python3)
  --report R.json          also write a JSON report (virtual time, tasks, events, findings)
  --budget SECONDS         wall-clock budget (default 10); exit 152 when exceeded
  --latency SECONDS        simulated network latency for aiohttp/requests/httpx (default 0.1)
  --max-output BYTES       output kept before a truncation marker (default 1048576)

exit status: the program's own; 124 deadlock, 125 livelock, 152 budget, 130 stopped, 70 engine error,
141 when the output's reader went away (\`run FILE | head\`: the program is stopped there).
`;

export async function runCommand(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    const parsed = parseArgs(args, { values: [...ENGINE_VALUE_OPTIONS, "report"], flags: [] });
    const { trace } = await runProgramFromArgs(parsed, true);
    const reportPath = stringOption(parsed, "report");
    if (reportPath) writeFileSync(reportPath, JSON.stringify(buildRunReport(trace, computeFindings(trace)), null, 1));
    if (trace.status === "engine-error" && trace.engineError && !outputClosed()) process.stderr.write(`asyncio-trace: ${trace.engineError}\n`);
    return trace.exitCode;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`asyncio-trace run: ${err.message}\n\n${HELP}`);
      return 2;
    }
    throw err;
  }
}
