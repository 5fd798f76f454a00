/** `# asyncio-trace: ignore[code, ...]` (or a bare `ignore`) silences findings on its line. */
import type { RuleCode } from "./types";

const IGNORE_COMMENT = /#\s*asyncio-trace:\s*ignore(?:\[([^\]]*)\])?/;

export function isSuppressed(lineText: string, code: RuleCode): boolean {
  if (!lineText.includes("asyncio-trace")) return false;
  const match = IGNORE_COMMENT.exec(lineText);
  if (!match) return false;
  if (match[1] === undefined) return true;
  return match[1].split(",").some((c) => c.trim() === code);
}

/** The text to put on a line so `code` is ignored there: a new comment, or the code added to an existing one. */
export function suppressionEdit(lineText: string, code: RuleCode): { character: number; endCharacter: number; newText: string } {
  const match = IGNORE_COMMENT.exec(lineText);
  if (match && match[1] !== undefined) {
    const start = match.index;
    const end = start + match[0].length;
    const codes = [...match[1].split(",").map((c) => c.trim()).filter(Boolean), code];
    return { character: start, endCharacter: end, newText: `# asyncio-trace: ignore[${codes.join(", ")}]` };
  }
  const trimmedEnd = lineText.replace(/\s+$/, "").length;
  return { character: trimmedEnd, endCharacter: lineText.length, newText: `  # asyncio-trace: ignore[${code}]` };
}
