/** Pure text edits: applying them, and the small edits several fixes share (imports, indentation). */
import type { Analysis } from "../context";
import type { Position, Range, TextEdit } from "../types";

export function offsetAt(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + position.character, text.length);
}

/** Applies edits given against the same original text; identical edits (two fixes adding the same import) count once. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const seen = new Set<string>();
  const resolved = edits
    .map((edit, order) => ({ start: offsetAt(text, edit.range.start), end: offsetAt(text, edit.range.end), newText: edit.newText, order }))
    .filter((e) => {
      const key = `${e.start}:${e.end}:${e.newText}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  let result = "";
  let cursor = 0;
  for (const edit of resolved) {
    if (edit.start < cursor) continue; // overlaps an earlier edit: skip, like a fix-all that leaves it for the next round
    result += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

export function rangeAt(line: number, character: number, endLine = line, endCharacter = character): Range {
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

export function indentOf(lineText: string): string {
  return /^[ \t]*/.exec(lineText)![0];
}

/** The name under which `asyncio` is imported, and the edit that adds `import asyncio` when it is not. */
export function asyncioImport(analysis: Analysis): { name: string; edits: TextEdit[] } {
  for (const [name, binding] of analysis.symbols.bindings) {
    if (binding.kind === "import" && binding.qualified === "asyncio") return { name, edits: [] };
  }
  return { name: "asyncio", edits: [{ range: rangeAt(importInsertLine(analysis), 0), newText: "import asyncio\n" }] };
}

/** Below the last module-level import, else below a module docstring and leading comments. */
export function importInsertLine(analysis: Analysis): number {
  let line = -1;
  for (const item of analysis.syntax.items) {
    if (item.scope === -1 && (item.kind === "import" || item.kind === "importfrom")) line = Math.max(line, item.node.endPosition.row + analysis.rowOffset + 1);
  }
  if (line >= 0) return line;
  const lines = analysis.lines();
  let i = 0;
  while (i < lines.length && (lines[i].startsWith("#") || lines[i].trim() === "")) i++;
  const docstring = /^[rRuU]?("""|''')/.exec(lines[i] ?? "");
  if (docstring) {
    const quote = docstring[1];
    const rest = lines[i].slice(lines[i].indexOf(quote) + 3);
    if (!rest.includes(quote)) {
      i++;
      while (i < lines.length && !lines[i].includes(quote)) i++;
    }
    return Math.min(i + 1, lines.length);
  }
  return i < lines.length && lines[i].trim() !== "" ? firstNonCommentLine(lines) : 0;
}

function firstNonCommentLine(lines: string[]): number {
  let i = 0;
  while (i < lines.length && lines[i].startsWith("#")) i++;
  return i;
}

/** A name not yet bound at module level: `main`, else `main_`, `main__`... */
export function freeModuleName(analysis: Analysis, base: string): string {
  let name = base;
  while (analysis.symbols.bindings.has(name)) name += "_";
  return name;
}
