/** One edit to a document, in the shape VS Code reports it (0-based lines). */
export interface LineEdit {
  startLine: number;
  endLine: number;
  text: string;
}

/**
 * True when an edit shifts or rewrites any of `lines` (1-based): a run's findings then point at
 * the wrong code and must go. Edits that keep the line count and stay off those lines are harmless.
 */
export function editMovesLines(edits: readonly LineEdit[], lines: readonly number[]): boolean {
  for (const edit of edits) {
    const removed = edit.endLine - edit.startLine;
    const added = (edit.text.match(/\n/g) ?? []).length;
    for (const line of lines) {
      const zeroBased = line - 1;
      if (zeroBased >= edit.startLine && zeroBased <= edit.endLine) return true;
      if (zeroBased > edit.endLine && added !== removed) return true;
    }
  }
  return false;
}
