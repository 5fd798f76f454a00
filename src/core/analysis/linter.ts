/**
 * Runs the rules over a parsed document. DocumentLint keeps one document's state between edits:
 * an edit inside one top-level statement re-parses and re-lints only that statement when the
 * module's names (imports, defs, classes) did not change; anything else falls back to an
 * incremental parse of the whole file with the previous tree.
 */
import type { Node, Tree, Point } from "web-tree-sitter";
import { rangeOf, type Analysis, type Report } from "./context";
import { ruleMessage } from "../explain/ruleTexts";
import { loadPythonParser, type PythonParser } from "./parser";
import { RULES } from "./rules";
import { mentionsOf } from "./rules/unawaitedCoroutine";
import { isSuppressed } from "./suppressions";
import { addSymbols, emptySymbols, symbolSignature, type ModuleSymbols } from "./symbols";
import { collectSyntax, type Syntax } from "./syntax";
import { DEFAULT_SEVERITY, type Finding, type LintOptions } from "./types";

/** Lints a whole text, loading the parser on first use. */
export async function lintText(text: string, options: LintOptions = {}): Promise<Finding[]> {
  return lintWithParser(await loadPythonParser(), text, options);
}

export function lintWithParser(python: PythonParser, text: string, options: LintOptions = {}): Finding[] {
  const tree = python.parser.parse(text);
  if (!tree) throw new Error("tree-sitter returned no tree");
  try {
    const syntax = collectSyntax(tree.rootNode, python.language, text);
    const symbols = emptySymbols();
    addSymbols(symbols, syntax.items);
    return runRules(text, syntax, symbols, options, 0);
  } finally {
    tree.delete();
  }
}

function splitLines(text: string): () => string[] {
  let lines: string[] | undefined;
  return () => (lines ??= text.split(/\r?\n/));
}

export function runRules(text: string, syntax: Syntax, symbols: ModuleSymbols, options: LintOptions, rowOffset: number): Finding[] {
  const analysis: Analysis = { text, syntax, symbols, options, rowOffset, lines: splitLines(text) };
  const findings: Finding[] = [];
  const language = options.language ?? "en";
  for (const rule of RULES) {
    const setting = options.severities?.[rule.code] ?? DEFAULT_SEVERITY[rule.code];
    if (setting === "off") continue;
    rule.check(analysis, (report: Report) => {
      const range = report.range ?? rangeOf(analysis, report.node);
      if (isSuppressed(analysis.lines()[range.start.line] ?? "", report.code)) return;
      const finding: Finding = { code: report.code, severity: setting, range, message: ruleMessage(report.code, language, report.subject) };
      if (report.subject) finding.subject = report.subject;
      if (options.withFixes) finding.fixes = report.fixes?.() ?? [];
      findings.push(finding);
    });
  }
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** One edit, in offsets of the text before it (VS Code's rangeOffset/rangeLength/text). */
export interface TextChange {
  start: number;
  oldEnd: number;
  newText: string;
}

/** An edit as reported by the editor: offsets in the text before it, and the inserted length. */
export interface EditSpan {
  start: number;
  oldEnd: number;
  newLength: number;
}

/**
 * Folds edits made one after another (each in offsets of the text the previous one produced) into
 * one change of the original text, so a debounced burst of typing still takes the fast path.
 */
export function mergeEdits(edits: EditSpan[], finalText: string): TextChange | undefined {
  if (edits.length === 0) return undefined;
  let start = edits[0].start;
  let oldEnd = edits[0].oldEnd;
  let newEnd = edits[0].start + edits[0].newLength; // end of the merged region in the current text
  for (const edit of edits.slice(1)) {
    const delta = newEnd - oldEnd; // current text offset - original text offset, after the region
    if (edit.start < start) start = edit.start;
    if (edit.oldEnd > newEnd) {
      oldEnd = edit.oldEnd - delta;
      newEnd = edit.oldEnd;
    }
    newEnd += edit.newLength - (edit.oldEnd - edit.start);
  }
  return { start, oldEnd, newText: finalText.slice(start, newEnd) };
}

interface Chunk {
  start: number;
  end: number;
  startRow: number;
  endRow: number;
  signature: string;
  findings: Finding[];
}

/** Lint state of one open document. Call dispose() when the document closes. */
export class DocumentLint {
  private text = "";
  private tree: Tree | undefined;
  private chunks: Chunk[] | undefined;
  private symbols: ModuleSymbols = emptySymbols();
  private findings: Finding[] = [];
  /** How the last update ran; the benchmark and tests check the fast path is taken. */
  lastUpdate: "full" | "incremental" | "statement" = "full";

  constructor(
    private readonly python: PythonParser,
    private options: LintOptions = {},
  ) {}

  setOptions(options: LintOptions): Finding[] {
    this.options = options;
    return this.update(this.text);
  }

  /** Re-lints after the text changed. With `change` (the single edit that made `text`) only the touched statement is re-linted when possible. */
  update(text: string, change?: TextChange): Finding[] {
    const oldText = this.text;
    this.text = text;
    if (change && this.tree) {
      const edit = treeEdit(oldText, change);
      this.tree.edit(edit);
      if (this.relintStatement(oldText, change, edit)) {
        this.lastUpdate = "statement";
        return this.findings;
      }
    }
    this.fullLint(change !== undefined);
    return this.findings;
  }

  current(): Finding[] {
    return this.findings;
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
  }

  private fullLint(reuseTree: boolean): void {
    const old = reuseTree ? this.tree : undefined;
    const tree = this.python.parser.parse(this.text, old);
    if (!tree) throw new Error("tree-sitter returned no tree");
    this.tree?.delete();
    this.tree = tree;
    this.lastUpdate = old ? "incremental" : "full";
    const syntax = collectSyntax(tree.rootNode, this.python.language, this.text);
    this.symbols = emptySymbols();
    addSymbols(this.symbols, syntax.items);
    this.findings = runRules(this.text, syntax, this.symbols, this.options, 0);
    this.chunks = splitIntoChunks(tree.rootNode, syntax, this.findings);
  }

  private relintStatement(oldText: string, change: TextChange, edit: { newEndIndex: number; startPosition: Point; oldEndPosition: Point; newEndPosition: Point }): boolean {
    const chunks = this.chunks;
    if (!chunks) return false;
    const at = chunks.findIndex((c) => c.start <= change.start && change.oldEnd <= c.end);
    if (at < 0) return false;
    const chunk = chunks[at];
    const delta = change.newText.length - (change.oldEnd - change.start);
    if (this.text.length !== oldText.length + delta) return false;
    const statementText = this.text.slice(chunk.start, chunk.end + delta);
    // Whether a module-level `x = coro()` is flagged depends on x being mentioned anywhere in the
    // file: an edit that adds or removes a mention of such a name re-lints everything.
    for (const [name, binding] of this.symbols.bindings) {
      if (binding.kind === "value" && binding.fromCall !== undefined && (mentionsOf(statementText, name, 1) > 0 || mentionsOf(oldText.slice(chunk.start, chunk.end), name, 1) > 0)) return false;
    }
    const tree = this.python.parser.parse(statementText);
    if (!tree) return false;
    try {
      const root = tree.rootNode;
      if (root.hasError || root.namedChildren.filter((c) => c?.type !== "comment").length !== 1) return false;
      const syntax = collectSyntax(root, this.python.language, statementText);
      const signature = symbolSignature(syntax.items);
      if (signature !== chunk.signature) return false;
      const findings = runRules(this.text, syntax, this.symbols, this.options, chunk.startRow);
      const rowDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
      chunk.end += delta;
      chunk.endRow += rowDelta;
      chunk.findings = findings;
      for (let i = at + 1; i < chunks.length; i++) {
        const later = chunks[i];
        later.start += delta;
        later.end += delta;
        later.startRow += rowDelta;
        later.endRow += rowDelta;
        if (rowDelta !== 0) later.findings = later.findings.map((f) => shiftFinding(f, rowDelta));
      }
      this.findings = chunks.flatMap((c) => c.findings);
      return true;
    } finally {
      tree.delete();
    }
  }
}

function shiftFinding(finding: Finding, rows: number): Finding {
  const { start, end } = finding.range;
  return { ...finding, range: { start: { line: start.line + rows, character: start.character }, end: { line: end.line + rows, character: end.character } } };
}

/** Top-level statements that can be re-parsed alone: error-free, starting at column 0, owning their findings. */
function splitIntoChunks(root: Node, syntax: Syntax, findings: Finding[]): Chunk[] | undefined {
  const chunks: Chunk[] = [];
  const items = syntax.items;
  let itemAt = 0;
  let findingAt = 0;
  for (const child of root.children) {
    if (!child) continue;
    const previous = chunks[chunks.length - 1];
    // A comment after a statement on its own line belongs with that statement.
    if (child.type === "comment" && previous && child.startPosition.row === previous.endRow) {
      previous.end = child.endIndex;
      continue;
    }
    if (child.startPosition.column !== 0 || child.hasError || child.isError) return undefined;
    const start = child.startIndex;
    const end = child.endIndex;
    const startRow = child.startPosition.row;
    const endRow = child.endPosition.row;
    const firstItem = itemAt;
    while (itemAt < items.length && items[itemAt].start < end) itemAt++;
    const own: Finding[] = [];
    while (findingAt < findings.length && findings[findingAt].range.start.line <= endRow) {
      if (findings[findingAt].range.start.line < startRow) return undefined;
      own.push(findings[findingAt++]);
    }
    chunks.push({ start, end, startRow, endRow, signature: symbolSignature(items, firstItem, itemAt), findings: own });
  }
  return findingAt === findings.length ? chunks : undefined;
}

function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function treeEdit(oldText: string, change: TextChange) {
  const startPosition = pointAt(oldText, change.start);
  const oldEndPosition = pointAt(oldText, change.oldEnd);
  const inserted = change.newText.split("\n");
  const newEndPosition: Point =
    inserted.length === 1
      ? { row: startPosition.row, column: startPosition.column + change.newText.length }
      : { row: startPosition.row + inserted.length - 1, column: inserted[inserted.length - 1].length };
  return { startIndex: change.start, oldEndIndex: change.oldEnd, newEndIndex: change.start + change.newText.length, startPosition, oldEndPosition, newEndPosition };
}
