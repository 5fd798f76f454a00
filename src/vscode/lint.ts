/**
 * Diagnostics for Python documents and notebook cells. The parser loads on the first Python
 * document, never at activation; each document keeps its DocumentLint, so a debounced burst of
 * typing re-lints only the statement it touched.
 */
import * as vscode from "vscode";
import { DocumentLint, mergeEdits, type EditSpan } from "../core/analysis/linter";
import { loadPythonParser, type PythonParser } from "../core/analysis/parser";
import { RULE_CODES, type Finding, type LintOptions, type RuleCode, type SeveritySetting } from "../core/analysis/types";
import { languageFor, ruleDocsUrl } from "../core/explain/ruleTexts";
import { registerLintCodeActions } from "./codeActions";
import { registerLintHover } from "./hover";

const DEBOUNCE_MS = 150;
export const DIAGNOSTIC_SOURCE = "asyncio-trace";

interface DocumentState {
  lint: DocumentLint;
  edits: EditSpan[];
  /** A change event with several changes (multi-cursor) cannot be merged: lint the whole text. */
  needsFull: boolean;
  timer?: NodeJS.Timeout;
}

/** Shared with the code action and hover providers. */
export class LintService implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly documents = new Map<string, DocumentState>();
  private python: Promise<PythonParser> | undefined;

  /** Starts loading the parser; resolves once it is ready. */
  parser(): Promise<PythonParser> {
    this.python ??= loadPythonParser([vscode.Uri.joinPath(this.extensionUri, "dist", "parser").fsPath]);
    return this.python;
  }

  constructor(private readonly extensionUri: vscode.Uri) {}

  options(document: vscode.TextDocument, extra: Partial<LintOptions> = {}): LintOptions {
    const configured = vscode.workspace.getConfiguration("asyncioTrace", document).get<Record<string, SeveritySetting>>("rules") ?? {};
    const severities: Partial<Record<RuleCode, SeveritySetting>> = {};
    for (const code of RULE_CODES) if (configured[code]) severities[code] = configured[code];
    return { severities, notebook: document.uri.scheme === "vscode-notebook-cell", language: languageFor(vscode.env.language), ...extra };
  }

  async open(document: vscode.TextDocument): Promise<void> {
    if (document.languageId !== "python") return;
    const key = document.uri.toString();
    if (this.documents.has(key)) return;
    let python: PythonParser;
    try {
      python = await this.parser();
    } catch (err) {
      void vscode.window.showWarningMessage(vscode.l10n.t("asyncio-trace could not load the Python parser: {0}", String(err)));
      return;
    }
    if (this.documents.has(key) || document.isClosed) return;
    const lint = new DocumentLint(python, this.options(document));
    this.documents.set(key, { lint, edits: [], needsFull: false });
    this.publish(document, lint.update(document.getText()));
  }

  change(event: vscode.TextDocumentChangeEvent): void {
    const state = this.documents.get(event.document.uri.toString());
    if (!state) {
      void this.open(event.document);
      return;
    }
    if (event.contentChanges.length === 0) return;
    if (event.contentChanges.length === 1) {
      const c = event.contentChanges[0];
      state.edits.push({ start: c.rangeOffset, oldEnd: c.rangeOffset + c.rangeLength, newLength: c.text.length });
    } else {
      state.needsFull = true;
    }
    clearTimeout(state.timer);
    state.timer = setTimeout(() => this.relint(event.document, state), DEBOUNCE_MS);
  }

  private relint(document: vscode.TextDocument, state: DocumentState): void {
    if (document.isClosed) return;
    const text = document.getText();
    const change = state.needsFull ? undefined : mergeEdits(state.edits, text);
    state.edits = [];
    state.needsFull = false;
    this.publish(document, state.lint.update(text, change));
  }

  close(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const state = this.documents.get(key);
    // The close of a disposed copy can arrive after the same file was opened again.
    if (!state || vscode.workspace.textDocuments.some((d) => d.uri.toString() === key && !d.isClosed)) return;
    clearTimeout(state.timer);
    state.lint.dispose();
    this.documents.delete(key);
    this.diagnostics.delete(document.uri);
  }

  /** After a settings or language change: re-lint every open document. */
  refreshAll(): void {
    for (const document of vscode.workspace.textDocuments) {
      const state = this.documents.get(document.uri.toString());
      if (state) this.publish(document, state.lint.setOptions(this.options(document)));
    }
  }

  private publish(document: vscode.TextDocument, findings: Finding[]): void {
    this.diagnostics.set(document.uri, findings.map(toDiagnostic));
  }

  dispose(): void {
    for (const state of this.documents.values()) {
      clearTimeout(state.timer);
      state.lint.dispose();
    }
    this.documents.clear();
    this.diagnostics.dispose();
  }
}

const SEVERITY: Record<Finding["severity"], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toRange(range: Finding["range"]): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.code, target: vscode.Uri.parse(ruleDocsUrl(finding.code)) };
  return diagnostic;
}

/** Called once from activate(). Registers listeners only; the parser loads with the first Python document. */
export function registerLinting(context: vscode.ExtensionContext): void {
  const service = new LintService(context.extensionUri);
  context.subscriptions.push(
    service,
    vscode.workspace.onDidOpenTextDocument((d) => void service.open(d)),
    vscode.workspace.onDidChangeTextDocument((e) => service.change(e)),
    vscode.workspace.onDidCloseTextDocument((d) => service.close(d)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("asyncioTrace.rules")) service.refreshAll();
    }),
    registerLintCodeActions(service),
    registerLintHover(service),
  );
  // Documents already open when the extension activates (activation is onLanguage:python). Deferred so activate() returns at once.
  setTimeout(() => {
    for (const document of vscode.workspace.textDocuments) void service.open(document);
  }, 0);
}
