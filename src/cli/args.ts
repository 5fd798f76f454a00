/**
 * A small argument parser for the subcommands: `--name value`, `--name=value`, boolean flags,
 * positionals, and everything after `--` passed through untouched (the program's own argv).
 */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
  passthrough: string[];
}

export class UsageError extends Error {}

export function parseArgs(args: string[], spec: { values: string[]; flags: string[] }): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  const dashDash = args.indexOf("--");
  const own = dashDash === -1 ? args : args.slice(0, dashDash);
  const passthrough = dashDash === -1 ? [] : args.slice(dashDash + 1);
  for (let i = 0; i < own.length; i++) {
    const arg = own[i];
    if (!arg.startsWith("--") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (spec.flags.includes(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      options.set(name, true);
    } else if (spec.values.includes(name)) {
      const value = eq !== -1 ? arg.slice(eq + 1) : own[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positionals, options, passthrough };
}

export function numberOption(parsed: ParsedArgs, name: string): number | undefined {
  const raw = parsed.options.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw === true || !Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} needs a positive number, got '${raw}'`);
  return value;
}

export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const raw = parsed.options.get(name);
  return typeof raw === "string" ? raw : undefined;
}
