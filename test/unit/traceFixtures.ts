// Loads the golden traces in test/fixtures/traces/ (real runs; see scripts/regenerate-traces.ts).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Trace } from "../../src/core/trace/schema";

export const TRACES_DIR = path.resolve(__dirname, "..", "..", "..", "test", "fixtures", "traces");

export function loadTrace(name: string): Trace {
  return JSON.parse(readFileSync(path.join(TRACES_DIR, `${name}.json`), "utf8")) as Trace;
}
