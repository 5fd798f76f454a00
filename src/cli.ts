// asyncio-trace command line: run | trace | lint | bench. Uses the same core as the extension
// and never imports vscode.
import { EXIT_OUTPUT_CLOSED, outputClosed, watchForClosedOutput } from "./cli/closedOutput";
import { main } from "./cli/main";

watchForClosedOutput();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = outputClosed() ? EXIT_OUTPUT_CLOSED : code;
  },
  (err) => {
    process.stderr.write(`asyncio-trace: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
