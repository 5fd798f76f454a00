// Loads the golden traces of test/fixtures/findings/ (real runs of the programs beside them, made
// by scripts/regenerate-finding-traces.ts) with "<fixtures>" turned back into this checkout's path.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Trace } from "../../src/core/trace/schema";

export const FINDINGS_FIXTURES_DIR = path.resolve(__dirname, "..", "..", "..", "test", "fixtures", "findings");

export function loadFindingsTrace(name: string): Trace {
  const text = readFileSync(path.join(FINDINGS_FIXTURES_DIR, `${name}.trace.json`), "utf8");
  return JSON.parse(text.split("<fixtures>").join(FINDINGS_FIXTURES_DIR)) as Trace;
}

export function fixturePath(name: string): string {
  return path.join(FINDINGS_FIXTURES_DIR, `${name}.py`);
}
