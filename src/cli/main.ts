/** Subcommand dispatch. Each subcommand lives in its own module and returns an exit status. */
export type Subcommand = (args: string[]) => Promise<number>;

const USAGE = `usage: asyncio-trace <command> [options]

commands:
  run FILE     run a Python file on the virtual clock, like \`python FILE\`
  trace FILE   run it and print a text timeline of its tasks, waits and findings
  lint FILE... static checks for common asyncio mistakes
  bench        measure the engines (cold start, warm runs, 1000-task fan-out)

Run \`asyncio-trace <command> --help\` for a command's options.
`;

/** Loaded lazily so `lint` never pays for the engine and `run` never pays for the parser. */
const subcommands: Record<string, () => Promise<Subcommand>> = {
  run: () => import("./runCommand").then((m) => m.runCommand),
  trace: () => import("./traceCommand").then((m) => m.traceCommand),
  lint: () => import("./lintCommand").then((m) => m.lintCommand),
  bench: () => import("./benchCommand").then((m) => m.benchCommand),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write(`asyncio-trace ${require("../../package.json").version}\n`);
    return 0;
  }
  const load = subcommands[name];
  if (!load) {
    process.stderr.write(`asyncio-trace: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  return (await load())(rest);
}
