import type { Engine } from "./types";

export type EngineName = "embedded" | "local";

export interface EngineOptions {
  /** Interpreter for the local engine (default python3). */
  python?: string;
  /** Folder holding the built runtime (pyodide/, python/); defaults to the running bundle's folder. */
  distDir?: string;
}

export function isEngineName(value: string): value is EngineName {
  return value === "embedded" || value === "local";
}

/** Loads only the engine asked for: the embedded one pulls in the WebAssembly runtime. */
export async function createEngine(name: EngineName, options: EngineOptions = {}): Promise<Engine> {
  if (name === "local") {
    const { LocalEngine } = await import("./local");
    return new LocalEngine({ python: options.python, distDir: options.distDir });
  }
  const { EmbeddedEngine } = await import("./embedded");
  return new EmbeddedEngine({ distDir: options.distDir });
}
