import * as path from "node:path";
import type { Trace } from "../core/trace/schema";
import { createEngine, isEngineName, type EngineName } from "../engine/createEngine";
import { numberOption, stringOption, UsageError, type ParsedArgs } from "./args";
import { onOutputClosed, outputClosed } from "./closedOutput";

/** Options shared by `run` and `trace`. */
export const ENGINE_VALUE_OPTIONS = ["engine", "python", "budget", "latency", "max-output"];

export interface ProgramRun {
  trace: Trace;
  file: string;
}

/**
 * Runs the program named on the command line with the engine the options choose. Program output
 * goes to this process's stdout/stderr as it is produced (`stream`), or is kept only in the trace.
 */
export async function runProgramFromArgs(parsed: ParsedArgs, stream: boolean): Promise<ProgramRun> {
  if (parsed.positionals.length === 0) throw new UsageError("missing FILE");
  const [fileArg, ...extraArgs] = parsed.positionals;
  const engineName = stringOption(parsed, "engine") ?? "embedded";
  if (!isEngineName(engineName)) throw new UsageError(`--engine must be embedded or local, got '${engineName}'`);
  const python = stringOption(parsed, "python");
  if (python && engineName !== "local") throw new UsageError("--python only applies to --engine local");
  const file = path.resolve(fileArg);
  const engine = await createEngine(engineName as EngineName, { python, distDir: __dirname });
  // Ctrl-C stops the program the way Stop trace does: the partial trace still comes back.
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  // Nobody reads the output any more (`run prog.py | head`): stop the program rather than let it
  // run on to its budget, and write nothing more, not even the stop message.
  const stopWatchingOutput = stream ? onOutputClosed(() => abort.abort()) : () => undefined;
  try {
    const trace = await engine.run({
      file,
      args: [...extraArgs, ...parsed.passthrough],
      budgetSeconds: numberOption(parsed, "budget"),
      simulatedLatency: numberOption(parsed, "latency"),
      outputCapBytes: numberOption(parsed, "max-output"),
      stdin: "inherit",
      signal: abort.signal,
      onOutput: stream
        ? (which, chunk) => {
            if (!outputClosed()) (which === "stdout" ? process.stdout : process.stderr).write(chunk);
          }
        : undefined,
    });
    return { trace, file };
  } finally {
    process.removeListener("SIGINT", onSigint);
    stopWatchingOutput();
    engine.dispose();
  }
}
