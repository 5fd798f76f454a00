// "Trace async run" and friends: commands, CodeLens, status bar, trace-on-save, the runtime
// findings in the Problems panel, and the trace panel's editor effects. Engines load on the first
// trace only (activation stays cheap).
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { Finding } from "../core/findings/types";
import { findRunSites } from "../core/trace/runSites";
import { EXIT_ENGINE_ERROR, type SourceLocation, type Trace } from "../core/trace/schema";
import { hostTrace } from "../core/trace/hostTrace";
import type { Engine } from "../engine/types";
import { PANEL_VIEW_TYPE, TracePanel, type PanelActions } from "../panel/tracePanel";
import type { ExportFormat, PanelSnapshot, TracePayload } from "../shared/protocol";
import { showRunFindings } from "./runFindings";
import { TraceEditorEffects } from "./traceEditor";

const LAST_TRACE_FILE = "last-trace.json";

/**
 * Where the program runs, as if started from a terminal opened on its workspace folder (the
 * extension host's own cwd may be "/"); a file outside any workspace runs in its own folder.
 */
function workingFolder(target: RunTarget): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(target.uri)?.uri;
  if (folder?.scheme === "file") return folder.fsPath;
  return target.uri.scheme === "file" ? path.dirname(target.file) : undefined;
}

interface RunTarget {
  file: string;
  source?: string;
  /** The editor document to decorate and reveal in (for untitled files and notebook cells). */
  uri: vscode.Uri;  /** A notebook cell: compiled with top-level await, as Jupyter runs it on its already-running loop. */
  notebookCell?: boolean;
}

function config() {
  return vscode.workspace.getConfiguration("asyncioTrace");
}

function isZh(): boolean {
  return vscode.env.language.toLowerCase().startsWith("zh");
}

class TraceController implements vscode.Disposable {
  private readonly engines = new Map<string, Engine>();
  private readonly warmed = new Set<string>();
  private current: { abort: AbortController; target: RunTarget } | null = null;
  private runId = 0;
  private lastTarget: RunTarget | null = null;
  private last: TracePayload | null = null;
  private readonly status = vscode.window.createStatusBarItem("asyncioTrace.status", vscode.StatusBarAlignment.Left, 50);
  readonly editor = new TraceEditorEffects();
  readonly actions: PanelActions;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.status.name = "asyncio-trace";
    this.actions = {
      reveal: async (loc, focus) => {
        await this.editor.reveal(loc, focus);
      },
      highlightTask: (_task, lines) => this.editor.setTaskLines(lines),
      stepChanged: (loc, text) => this.editor.setStep(loc, text),
      rerun: () => void this.rerun(),
      stop: () => this.stop(),
      export: (format) => void this.exportTrace(format),
      closed: () => this.editor.clear(),
    };
  }

  // ---------------------------------------------------------------- running

  /** The file (or notebook cell, or unsaved buffer) to trace. */
  private targetFor(uri?: vscode.Uri): RunTarget | undefined {
    if (uri instanceof vscode.Uri && uri.scheme === "file") {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return { file: uri.fsPath, source: open?.isDirty ? open.getText() : undefined, uri };
    }
    const editor = vscode.window.activeTextEditor;
    const nb = vscode.window.activeNotebookEditor;
    const inCell = editor?.document.uri.scheme === "vscode-notebook-cell";
    if (nb && (!editor || inCell)) {
      // The notebook's selected cell wins: a cell editor can stay "active" after the selection
      // moved to another cell (keyboard, or the API), and tracing it would run the wrong code.
      const selected = nb.selection.isEmpty ? undefined : nb.notebook.cellAt(nb.selection.start);
      const cell = selected?.kind === vscode.NotebookCellKind.Code ? selected : nb.notebook.getCells().find((c) => c.document === editor?.document);
      if (cell?.kind === vscode.NotebookCellKind.Code) return { file: nb.notebook.uri.fsPath, source: cell.document.getText(), uri: cell.document.uri, notebookCell: true };
    }
    if (editor && inCell) {
      return { file: editor.document.uri.fsPath, source: editor.document.getText(), uri: editor.document.uri, notebookCell: true };
    }
    if (!editor) return undefined;
    const doc = editor.document;
    if (doc.isUntitled) return { file: path.join(os.tmpdir(), `${path.basename(doc.uri.path) || "untitled"}.py`), source: doc.getText(), uri: doc.uri };
    if (doc.uri.scheme !== "file") return undefined;
    return { file: doc.uri.fsPath, source: doc.isDirty ? doc.getText() : undefined, uri: doc.uri };
  }

  private async pythonPath(): Promise<string | undefined> {
    const configured = config().get<string>("pythonPath")?.trim();
    if (configured) return configured;
    // The interpreter the Python extension selected, if it is installed.
    const ext = vscode.extensions.getExtension<{ environments?: { getActiveEnvironmentPath?(): { path?: string } } }>("ms-python.python");
    if (!ext) return undefined;
    try {
      const api = ext.isActive ? ext.exports : await ext.activate();
      return api?.environments?.getActiveEnvironmentPath?.()?.path || undefined;
    } catch {
      return undefined;
    }
  }

  private async engine(): Promise<{ engine: Engine; key: string }> {
    const name = config().get<string>("engine") === "local" ? "local" : "embedded";
    const python = name === "local" ? await this.pythonPath() : undefined;
    const key = `${name}:${python ?? ""}`;
    let engine = this.engines.get(key);
    if (!engine) {
      const { createEngine } = await import("../engine/createEngine");
      engine = await createEngine(name, { python, distDir: path.join(this.context.extensionPath, "dist") });
      this.engines.set(key, engine);
    }
    return { engine, key };
  }

  async traceRun(uri?: vscode.Uri): Promise<Trace | undefined> {
    const target = this.targetFor(uri);
    if (!target) {
      void vscode.window.showWarningMessage(isZh() ? "asyncio-trace:請先開啟一個 Python 檔案。" : "asyncio-trace: open a Python file to trace.");
      return undefined;
    }
    return this.run(target);
  }

  async rerun(): Promise<Trace | undefined> {
    const target = this.lastTarget ?? this.targetFor();
    if (!target) return undefined;
    // Pick up unsaved edits since the last run.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.uri.toString());
    return this.run(open ? { ...target, source: open.isDirty || open.isUntitled || target.source !== undefined ? open.getText() : undefined } : target);
  }

  private async run(target: RunTarget): Promise<Trace> {
    // The latest run wins: stop the one still going.
    this.current?.abort.abort();
    const abort = new AbortController();
    const me = { abort, target };
    this.current = me;
    this.lastTarget = target;
    const base = path.basename(target.file);
    this.status.text = `$(sync~spin) Tracing ${base}…`;
    this.status.tooltip = "asyncio-trace: click to stop";
    this.status.command = "asyncioTrace.stopTrace";
    this.status.show();
    void vscode.commands.executeCommand("setContext", "asyncioTrace.running", true);
    TracePanel.instance?.setRunStatus({ running: true, file: target.file });
    let trace: Trace;
    try {
      const { engine, key } = await this.engine();
      if (!this.warmed.has(key) && engine.warm) {
        TracePanel.instance?.setRunStatus({ running: true, file: target.file, message: "Loading the Python runtime (first run only)…" });
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: isZh() ? "asyncio-trace:載入 Python 執行環境…" : "asyncio-trace: loading the Python runtime…" },
          () => engine.warm!(),
        );
      }
      this.warmed.add(key);
      trace = await engine.run({
        file: target.file,
        source: target.source,
        topLevelAwait: target.notebookCell === true,
        budgetSeconds: config().get<number>("timeBudgetSeconds") ?? 10,
        simulatedLatency: config().get<number>("simulatedLatency") ?? 0.1,
        cwd: workingFolder(target),
        signal: abort.signal,
      });
    } catch (err) {
      // Engine failures are results to show, not crashes.
      trace = engineErrorTrace(target.file, err);
    }
    const { computeFindings } = await import("../core/findings");
    let findings: Finding[] = [];
    try {
      findings = computeFindings(trace);
    } catch (err) {
      console.error("asyncio-trace: computing findings failed", err);
    }
    if (this.current !== me) return trace; // a newer run replaced this one
    this.current = null;
    void vscode.commands.executeCommand("setContext", "asyncioTrace.running", false);
    const sources: Record<string, string> = {};
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.uri.toString());
    const text = target.source ?? open?.getText();
    if (text !== undefined) sources[target.file] = text;
    else {
      try {
        sources[target.file] = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(target.file))).toString("utf8");
      } catch {
        // no source text: tooltips just omit the code line
      }
    }
    const payload: TracePayload = { trace, findings, runId: ++this.runId, sources };
    this.last = payload;
    // The Problems panel, hovers and inlay hints belong to the run-findings presenter.
    showRunFindings(trace, findings);
    this.status.text = trace.status === "ok" ? `$(pulse) ${trace.virtualTime.toFixed(1)} s · ${trace.tasks.length} tasks` : `$(warning) ${trace.status}`;
    this.status.tooltip = `asyncio-trace: ${base} — ${trace.status}, ${trace.virtualTime.toFixed(1)} s virtual. Click to show the trace panel.`;
    this.status.command = "asyncioTrace.showPanel";
    TracePanel.show(this.context.extensionUri, this.actions, payload);
    void this.persist(payload);
    return trace;
  }

  stop(): void {
    if (!this.current) return;
    this.current.abort.abort();
  }

  // ---------------------------------------------------------------- panel, export, diagnostics

  showPanel(): void {
    TracePanel.show(this.context.extensionUri, this.actions, this.last, false);
  }

  async snapshot(): Promise<PanelSnapshot | undefined> {
    return TracePanel.instance?.snapshot();
  }

  lastPayload(): TracePayload | null {
    return this.last;
  }

  private async persist(payload: TracePayload): Promise<void> {
    try {
      const dir = this.context.globalStorageUri;
      await vscode.workspace.fs.createDirectory(dir);
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, LAST_TRACE_FILE), Buffer.from(JSON.stringify(payload)));
    } catch (err) {
      console.error("asyncio-trace: could not keep the last trace for reloads", err);
    }
  }

  /**
   * Brings back a panel VS Code kept across a reload (the serializer's target). The webview's own
   * state (zoom, selection, step) is handed back to the page by VS Code itself; the trace comes
   * from `globalStorageUri`. `fromDisk` (tests) forgets the in-memory trace first, as a fresh
   * extension host after a reload would not have it.
   */
  async revivePanel(panel: vscode.WebviewPanel, fromDisk = false): Promise<TracePanel> {
    if (fromDisk) this.last = null;
    return TracePanel.revive(panel, this.context.extensionUri, this.actions, await this.restore());
  }

  /** The last trace, from memory or from disk (after a window reload). */
  async restore(): Promise<TracePayload | null> {
    if (this.last) return this.last;
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.context.globalStorageUri, LAST_TRACE_FILE));
      this.last = JSON.parse(Buffer.from(bytes).toString("utf8")) as TracePayload;
    } catch {
      this.last = null;
    }
    return this.last;
  }

  async exportTrace(format: ExportFormat | null, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const payload = this.last ?? (await this.restore());
    if (!payload) {
      void vscode.window.showInformationMessage("asyncio-trace: run “Trace async run” first; there is no trace to export.");
      return undefined;
    }
    let chosen = format;
    if (!chosen) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: "Perfetto / Chrome Trace JSON", description: "open in ui.perfetto.dev or chrome://tracing", format: "chrome" as const },
          { label: "Standalone HTML", description: "this panel as one self-contained page", format: "html" as const },
          { label: "Text timeline", description: "lanes, waits and findings as plain text", format: "text" as const },
        ],
        { title: "Export trace" },
      );
      if (!pick) return undefined;
      chosen = pick.format;
    }
    const ext = chosen === "html" ? "html" : chosen === "text" ? "txt" : "json";
    const stem = path.basename(payload.trace.file).replace(/\.py$/, "");
    const defaultUri = vscode.Uri.file(path.join(path.dirname(payload.trace.file), `${stem}.trace${chosen === "chrome" ? ".chrome" : ""}.${ext}`));
    const uri = target ?? (await vscode.window.showSaveDialog({ defaultUri, filters: { [ext.toUpperCase()]: [ext] } }));
    if (!uri) return undefined;
    const text = await this.render(chosen, payload);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, "utf8"));
    return uri;
  }

  private async render(format: ExportFormat, payload: TracePayload): Promise<string> {
    if (format === "chrome") {
      const { toChromeTrace } = await import("../core/trace/chromeTrace");
      return JSON.stringify(toChromeTrace(payload.trace));
    }
    if (format === "text") {
      const { renderTextTimeline } = await import("../core/trace/textTimeline");
      return renderTextTimeline(payload.trace, payload.findings, { color: false });
    }
    const { buildStandaloneHtml } = await import("../panel/standaloneHtml");
    const bundle = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.context.extensionUri, "dist", "webview.js"))).toString("utf8");
    return buildStandaloneHtml(payload.trace, payload.findings, bundle, undefined, { sources: payload.sources, locale: isZh() ? "zh-tw" : "en" });
  }

  /** Trace-on-save: re-run when the saved file is the one last traced, or any file that calls asyncio.run. */
  onSave(doc: vscode.TextDocument): void {
    if (!config().get<boolean>("traceOnSave") || doc.languageId !== "python" || doc.uri.scheme !== "file") return;
    const isLast = this.lastTarget?.file === doc.uri.fsPath;
    if (!isLast && findRunSites(doc.getText()).length === 0) return;
    void this.run({ file: doc.uri.fsPath, uri: doc.uri });
  }

  dispose(): void {
    this.current?.abort.abort();
    for (const e of this.engines.values()) e.dispose();
    this.engines.clear();
    this.status.dispose();
    this.editor.dispose();
  }
}

/** A run that could not even start (engine missing, python3 not found...) as a trace the panel can show. */
export function engineErrorTrace(file: string, err: unknown): Trace {
  const message = err instanceof Error ? err.message : String(err);
  const engine = config().get<string>("engine") === "local" ? "local" : "embedded";
  return hostTrace({ engine, file, argv: [file], status: "engine-error", exitCode: EXIT_ENGINE_ERROR, engineError: message });
}

class RunCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (doc.lineCount > 20000) return [];
    return findRunSites(doc.getText()).map(
      (site) =>
        new vscode.CodeLens(new vscode.Range(site.line, site.column, site.line, site.column), {
          title: vscode.l10n.t("▶ Trace async run"),
          tooltip: vscode.l10n.t("Run this program on the virtual clock and show its tasks in the trace panel"),
          command: "asyncioTrace.traceRun",
          arguments: doc.uri.scheme === "file" ? [doc.uri] : [],
        }),
    );
  }
}

/** Wires everything; called once from activate(). Cheap: no engine or parser loads here. */
export function registerTracing(context: vscode.ExtensionContext): void {
  const c = new TraceController(context);
  context.subscriptions.push(
    c,
    vscode.commands.registerCommand("asyncioTrace.traceRun", (uri?: vscode.Uri) => c.traceRun(uri)),
    vscode.commands.registerCommand("asyncioTrace.stopTrace", () => c.stop()),
    vscode.commands.registerCommand("asyncioTrace.showPanel", () => c.showPanel()),
    vscode.commands.registerCommand("asyncioTrace.exportTrace", (format?: ExportFormat, target?: vscode.Uri) => c.exportTrace(format ?? null, target)),
    // For tests and automation (not in the palette): what the panel shows, and driving it.
    vscode.commands.registerCommand("asyncioTrace.panelState", () => c.snapshot()),
    vscode.commands.registerCommand("asyncioTrace.panelClickEvent", async (seq: number) => {
      await TracePanel.instance?.whenReady();
      TracePanel.instance?.post({ type: "didRequestClick", seq });
    }),
    vscode.commands.registerCommand("asyncioTrace.panelStep", async (step: number) => {
      await TracePanel.instance?.whenReady();
      TracePanel.instance?.post({ type: "didRequestStep", step });
    }),
    vscode.commands.registerCommand("asyncioTrace.playbackDecoration", (): { location: SourceLocation; text: string } | null => c.editor.currentStep),
    vscode.commands.registerCommand("asyncioTrace.lastTrace", () => c.lastPayload()?.trace),
    // Tests: the serializer's restore path on a panel the test created (a reload would end the test host).
    vscode.commands.registerCommand("asyncioTrace.revivePanelForTest", async (panel: vscode.WebviewPanel, fromDisk?: boolean) => {
      await c.revivePanel(panel, fromDisk === true);
    }),
    vscode.languages.registerCodeLensProvider({ language: "python" }, new RunCodeLensProvider()),
    vscode.workspace.onDidSaveTextDocument((doc) => c.onSave(doc)),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        await c.revivePanel(panel);
      },
    }),
  );
}
