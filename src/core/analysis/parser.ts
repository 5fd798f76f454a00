/** Lazily loads web-tree-sitter and the Python grammar, once per process. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Language, Parser } from "web-tree-sitter";

export interface PythonParser {
  parser: Parser;
  language: Language;
}

let loading: Promise<PythonParser> | undefined;

/**
 * The wasm files sit in dist/parser/ beside the bundle at run time, and in node_modules when the
 * compiled tests run from out/. Returns the first directory pair that exists.
 */
export function locateParserFiles(extraDirs: string[] = []): { runtime: string; grammar: string } {
  const candidates: Array<{ runtime: string; grammar: string }> = [];
  for (const dir of [...extraDirs, join(__dirname, "parser"), join(__dirname, "..", "dist", "parser")]) {
    candidates.push({ runtime: join(dir, "tree-sitter.wasm"), grammar: join(dir, "tree-sitter-python.wasm") });
  }
  for (let dir = __dirname, i = 0; i < 6; i++, dir = join(dir, "..")) {
    candidates.push({
      runtime: join(dir, "node_modules", "web-tree-sitter", "tree-sitter.wasm"),
      grammar: join(dir, "node_modules", "tree-sitter-python", "tree-sitter-python.wasm"),
    });
  }
  const found = candidates.find((c) => existsSync(c.runtime) && existsSync(c.grammar));
  if (!found) throw new Error("cannot find tree-sitter.wasm and tree-sitter-python.wasm (looked in dist/parser and node_modules)");
  return found;
}

/** Loads the parser on first call; later calls share the same instance. */
export function loadPythonParser(extraDirs: string[] = []): Promise<PythonParser> {
  loading ??= (async () => {
    // Required here, not imported at the top, so activation and `run` never pay for the module.
    const treeSitter: typeof import("web-tree-sitter") = require("web-tree-sitter");
    const files = locateParserFiles(extraDirs);
    await treeSitter.Parser.init({ locateFile: () => files.runtime });
    const language = await treeSitter.Language.load(files.grammar);
    const parser = new treeSitter.Parser();
    parser.setLanguage(language);
    return { parser, language };
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
