// asyncio-trace command line: run | trace | lint | bench. Uses the same core as the extension
// and never imports vscode.
import { main } from "./cli/main";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`asyncio-trace: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
