/**
 * Where a program starts its event loop: the lines that call `asyncio.run(...)` (the CodeLens
 * "▶ Trace async run" goes above each). A line scan, not a parse: it must be cheap enough to run
 * on every keystroke without loading the parser, and it skips comments and strings that start
 * the line.
 */
export interface RunSite {
  /** 0-based line. */
  line: number;
  /** 0-based column of `asyncio.run`. */
  column: number;
}

const RUN_CALL = /(^|[^\w.])((?:asyncio)\.run)\s*\(/;

export function findRunSites(text: string): RunSite[] {
  const out: RunSite[] = [];
  const lines = text.split(/\r?\n/);
  let inTriple: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // Skip lines inside a triple-quoted string (docstrings that show usage).
    const quotes = line.match(/"""|'''/g);
    if (inTriple) {
      if (quotes?.includes(inTriple) && quotes.filter((q) => q === inTriple).length % 2 === 1) inTriple = null;
      continue;
    }
    if (quotes && quotes.length % 2 === 1) {
      inTriple = quotes[0];
      continue;
    }
    const code = line.replace(/#.*$/, "");
    const m = RUN_CALL.exec(code);
    if (!m) continue;
    const before = code.slice(0, m.index + m[1].length);
    // Inside a one-line string literal: an odd number of quotes before the match.
    if ((before.match(/"/g)?.length ?? 0) % 2 === 1 || (before.match(/'/g)?.length ?? 0) % 2 === 1) continue;
    out.push({ line: i, column: m.index + m[1].length });
  }
  return out;
}
