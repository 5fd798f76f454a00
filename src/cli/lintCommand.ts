/** `asyncio-trace lint FILE... [--json]`: the editor's static checks on the command line. */
import { readFileSync } from "node:fs";
import { lintText } from "../core/analysis/linter";
import type { Finding } from "../core/analysis/types";

const USAGE = `usage: asyncio-trace lint FILE... [--json]

Checks Python files for common asyncio mistakes without running them.
  --json   print a JSON array of {file, line, column, endLine, endColumn, code, severity, message} (1-based)
Exit status: 1 if any error-severity finding, 2 on bad usage or unreadable files, else 0.
`;

export interface LintRecord {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: string;
  message: string;
}

export function toRecord(file: string, finding: Finding): LintRecord {
  const { start, end } = finding.range;
  return {
    file,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    code: finding.code,
    severity: finding.severity,
    message: finding.message,
  };
}

export async function lintCommand(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const json = args.includes("--json");
  const unknown = args.filter((a) => a.startsWith("-") && a !== "--json");
  const files = args.filter((a) => !a.startsWith("-"));
  if (unknown.length || files.length === 0) {
    process.stderr.write(unknown.length ? `asyncio-trace lint: unknown option ${unknown[0]}\n\n${USAGE}` : USAGE);
    return 2;
  }
  const records: LintRecord[] = [];
  let unreadable = false;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      process.stderr.write(`asyncio-trace lint: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
      unreadable = true;
      continue;
    }
    const notebook = file.endsWith(".ipynb");
    if (notebook) {
      records.push(...(await lintNotebook(file, text)));
      continue;
    }
    for (const finding of await lintText(text)) records.push(toRecord(file, finding));
  }
  if (json) process.stdout.write(JSON.stringify(records, null, 2) + "\n");
  else for (const r of records) process.stdout.write(`${r.file}:${r.line}:${r.column}: ${r.severity} ${r.code} ${r.message}\n`);
  if (unreadable) return 2;
  return records.some((r) => r.severity === "error") ? 1 : 0;
}

/** Code cells of a .ipynb, each linted as a notebook cell; lines are counted within the cell's source. */
async function lintNotebook(file: string, text: string): Promise<LintRecord[]> {
  const notebook = JSON.parse(text) as { cells?: Array<{ cell_type: string; source: string | string[] }> };
  const records: LintRecord[] = [];
  let index = 0;
  for (const cell of notebook.cells ?? []) {
    index++;
    if (cell.cell_type !== "code") continue;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    for (const finding of await lintText(source, { notebook: true })) records.push(toRecord(`${file}#cell${index}`, finding));
  }
  return records;
}
