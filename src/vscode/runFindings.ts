/**
 * Puts a traced run's findings and per-line stats into the editor: the Problems panel (its own
 * collection, source "asyncio-trace (run)", so run facts never mix with lint guesses), hovers with
 * runtime stats, and inlay hints with waited/blocked time. A new run replaces everything; an edit
 * that moves or rewrites the reported lines clears that file.
 */
import * as vscode from "vscode";
import { FINDING_TITLES } from "../core/explain/findingTexts";
import { computeLineStats, describeAwaitLine, describeBlockedLine, type LineStats } from "../core/findings/lineStats";
import { editMovesLines } from "../core/findings/staleness";
import { formatSeconds } from "../core/findings/traceFacts";
import type { Finding, FindingSeverity } from "../core/findings/types";
import type { SourceLocation, Trace } from "../core/trace/schema";

export const RUN_DIAGNOSTIC_SOURCE = "asyncio-trace (run)";
export const INLINE_HINTS_SETTING = "asyncioTrace.inlineHints";
const DOCS_URL = "https://github.com/asyncio-trace/asyncio-trace/blob/main/docs/findings.md";

type Language = "en" | "zh-tw";

/** The run currently shown, per file it touched. */
interface FileResults {
  findings: Finding[];
  stats: LineStats;
  /** Every 1-based line something is reported at: an edit touching or shifting these clears the file. */
  lines: number[];
}

export class RunFindingsPresenter implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection("asyncio-trace-run");
  private readonly disposables: vscode.Disposable[] = [this.diagnostics];
  private readonly hintsChanged = new vscode.EventEmitter<void>();
  private trace: Trace | null = null;
  private byFile = new Map<string, FileResults>();

  constructor() {
    const python = [{ language: "python" }, { scheme: "file", pattern: "**/*.py" }];
    this.disposables.push(
      this.hintsChanged,
      vscode.languages.registerHoverProvider(python, { provideHover: (doc, pos) => this.hover(doc, pos) }),
      vscode.languages.registerInlayHintsProvider(python, {
        onDidChangeInlayHints: this.hintsChanged.event,
        provideInlayHints: (doc, range) => this.inlayHints(doc, range),
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(INLINE_HINTS_SETTING)) this.hintsChanged.fire();
      }),
    );
  }

  /** Replaces whatever an earlier run showed with this run's findings and stats. */
  show(trace: Trace, findings: Finding[]): void {
    this.trace = trace;
    this.byFile = groupByFile(trace, findings);
    this.diagnostics.clear();
    for (const [file, results] of this.byFile) {
      const diagnostics = results.findings.map((finding) => toDiagnostic(finding, language()));
      if (diagnostics.length > 0) this.diagnostics.set(vscode.Uri.file(file), diagnostics);
    }
    this.hintsChanged.fire();
  }

  clear(): void {
    this.trace = null;
    this.byFile.clear();
    this.diagnostics.clear();
    this.hintsChanged.fire();
  }

  /** For tests and the panel: the diagnostics currently published for a file. */
  diagnosticsFor(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.diagnostics.get(uri) ?? [];
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    const file = event.document.uri.fsPath;
    const results = this.byFile.get(file);
    if (!results || event.contentChanges.length === 0) return;
    const edits = event.contentChanges.map((c) => ({ startLine: c.range.start.line, endLine: c.range.end.line, text: c.text }));
    if (!editMovesLines(edits, results.lines)) return;
    this.byFile.delete(file);
    this.diagnostics.delete(event.document.uri);
    this.hintsChanged.fire();
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const results = this.byFile.get(document.uri.fsPath);
    if (!results || !this.trace) return undefined;
    const key = `${document.uri.fsPath}:${position.line + 1}`;
    const parts: string[] = [];
    const awaitStats = results.stats.awaits.get(key);
    if (awaitStats) parts.push(`**asyncio-trace (run)**: ${describeAwaitLine(this.trace, awaitStats, language())}`);
    const blockedStats = results.stats.blocked.get(key);
    if (blockedStats) parts.push(`**asyncio-trace (run)**: ${describeBlockedLine(this.trace, blockedStats, language())}`);
    if (parts.length === 0) return undefined;
    const markdown = new vscode.MarkdownString(parts.join("\n\n"));
    return new vscode.Hover(markdown, document.lineAt(position.line).range);
  }

  private inlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    if (!vscode.workspace.getConfiguration().get<boolean>(INLINE_HINTS_SETTING, true)) return [];
    const results = this.byFile.get(document.uri.fsPath);
    if (!results) return [];
    const hints: vscode.InlayHint[] = [];
    const add = (location: SourceLocation, label: string, tooltip: string) => {
      const line = location.line - 1;
      if (line < range.start.line || line > range.end.line || line >= document.lineCount) return;
      const hint = new vscode.InlayHint(document.lineAt(line).range.end, label);
      hint.paddingLeft = true;
      hint.tooltip = tooltip;
      hints.push(hint);
    };
    for (const stats of results.stats.awaits.values()) {
      add(stats.location, `⏸ ${formatSeconds(stats.waited)}`, describeAwaitLine(this.trace!, stats, language()));
    }
    for (const stats of results.stats.blocked.values()) {
      add(stats.location, `⛔ ${formatSeconds(stats.blocked)}`, describeBlockedLine(this.trace!, stats, language()));
    }
    return hints;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function groupByFile(trace: Trace, findings: Finding[]): Map<string, FileResults> {
  const stats = computeLineStats(trace);
  const byFile = new Map<string, FileResults>();
  const entry = (file: string) => {
    let results = byFile.get(file);
    if (!results) {
      byFile.set(file, (results = { findings: [], stats: { awaits: new Map(), blocked: new Map() }, lines: [] }));
    }
    return results;
  };
  for (const finding of findings) {
    if (!finding.location) continue;
    const results = entry(finding.location.file);
    results.findings.push(finding);
    results.lines.push(finding.location.line);
  }
  for (const [key, awaitStats] of stats.awaits) {
    const results = entry(awaitStats.location.file);
    results.stats.awaits.set(key, awaitStats);
    results.lines.push(awaitStats.location.line);
  }
  for (const [key, blockedStats] of stats.blocked) {
    const results = entry(blockedStats.location.file);
    results.stats.blocked.set(key, blockedStats);
    results.lines.push(blockedStats.location.line);
  }
  return byFile;
}

const SEVERITY: Record<FindingSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function toDiagnostic(finding: Finding, lang: Language): vscode.Diagnostic {
  const line = Math.max(0, finding.location!.line - 1);
  // The whole line: the trace knows lines, not columns. Diagnostics clamp to the real line length.
  const range = new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER);
  const diagnostic = new vscode.Diagnostic(range, `${finding.message[lang]}\n${finding.explanation[lang]}`, SEVERITY[finding.severity]);
  diagnostic.source = RUN_DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.code, target: vscode.Uri.parse(`${DOCS_URL}#${finding.code}`) };
  diagnostic.relatedInformation = finding.related.filter((r) => isAbsolutePath(r.location.file)).map(
    (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.location.file), new vscode.Position(Math.max(0, r.location.line - 1), 0)), r.message[lang]),
  );
  return diagnostic;
}

function isAbsolutePath(file: string): boolean {
  return /^([\\/]|[A-Za-z]:[\\/])/.test(file);
}

function language(): Language {
  const lang = vscode.env.language.toLowerCase();
  return lang === "zh-tw" || lang === "zh-hant" ? "zh-tw" : "en";
}

/** Heading for a finding in the user's language (the panel uses the same titles). */
export function findingTitle(finding: Finding): string {
  return FINDING_TITLES[finding.code][language()];
}

let presenter: RunFindingsPresenter | undefined;

/** Called once from activate(): cheap (no engine, no parser); providers answer nothing until a run. */
export function registerRunFindings(): vscode.Disposable {
  presenter ??= new RunFindingsPresenter();
  return new vscode.Disposable(() => {
    presenter?.dispose();
    presenter = undefined;
  });
}

/** The tracing command calls this after every run. */
export function showRunFindings(trace: Trace, findings: Finding[]): void {
  (presenter ??= new RunFindingsPresenter()).show(trace, findings);
}

export function clearRunFindings(): void {
  presenter?.clear();
}

export function runFindingsPresenter(): RunFindingsPresenter | undefined {
  return presenter;
}
