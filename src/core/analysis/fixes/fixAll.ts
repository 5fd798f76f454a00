/** Edits for "Fix all" and "Disable for this line", as pure text edits. */
import { suppressionEdit } from "../suppressions";
import type { Finding, TextEdit } from "../types";
import { offsetAt } from "./textEdits";

/** The preferred (safe) fix of every finding, dropping any that overlaps one already taken. Identical edits (two fixes adding `import asyncio`) are kept once. */
export function fixAllEdits(findings: Finding[]): TextEdit[] {
  const taken: TextEdit[] = [];
  const keys = new Set<string>();
  const key = (e: TextEdit) => `${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character}=${e.newText}`;
  for (const finding of findings) {
    const fix = finding.fixes?.find((f) => f.preferred);
    if (!fix) continue;
    const fresh = fix.edits.filter((e) => !keys.has(key(e)));
    if (fresh.some((e) => taken.some((t) => overlaps(t, e)))) continue;
    for (const e of fresh) {
      taken.push(e);
      keys.add(key(e));
    }
  }
  return taken;
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Touching ranges do not overlap; two inserts at one point do (their order would be ambiguous).
  const aEmpty = !before(a.range.start, a.range.end);
  const bEmpty = !before(b.range.start, b.range.end);
  if (aEmpty && bEmpty) return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
  return before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
}

/** Adds `# asyncio-trace: ignore[code]` to the finding's first line (or the code to an existing ignore comment). */
export function disableForLineEdit(text: string, finding: Finding): TextEdit {
  const line = finding.range.start.line;
  const start = offsetAt(text, { line, character: 0 });
  let end = text.indexOf("\n", start);
  if (end < 0) end = text.length;
  const lineText = text.slice(start, end).replace(/\r$/, "");
  const edit = suppressionEdit(lineText, finding.code);
  return { range: { start: { line, character: edit.character }, end: { line, character: edit.endCharacter } }, newText: edit.newText };
}
