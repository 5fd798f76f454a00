/**
 * The trace panel's host side: one webview panel, its HTML and CSP, the typed message pump, and
 * the serializer that brings it back after a reload. Editor effects (reveal, decorations) are
 * delegated to the `PanelActions` the tracing commands supply.
 */
import * as vscode from "vscode";
import type { SourceLocation } from "../core/trace/schema";
import {
  isFromWebview,
  type ExportFormat,
  type FromWebview,
  type PanelSnapshot,
  type RunStatusInfo,
  type ToWebview,
  type TracePayload,
} from "../shared/protocol";
import { buildPage, makeNonce } from "./html";

export const PANEL_VIEW_TYPE = "asyncioTrace.panel";

/** What the panel asks of the rest of the extension. */
export interface PanelActions {
  reveal(location: SourceLocation, focusEditor: boolean): Promise<void>;
  highlightTask(task: number | null, lines: SourceLocation[]): void;
  stepChanged(location: SourceLocation | null, text: string): void;
  rerun(): void;
  stop(): void;
  export(format: ExportFormat | null): void;
  /** The panel was closed: clear decorations. */
  closed(): void;
}

export class TracePanel implements vscode.Disposable {
  private static current: TracePanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<number, (s: PanelSnapshot) => void>();
  private readonly readyWaiters: (() => void)[] = [];
  private ready = false;
  private nextRequest = 1;
  payload: TracePayload | null;

  static get instance(): TracePanel | undefined {
    return TracePanel.current;
  }

  /** Shows the panel with `payload` (creating it with the payload embedded, or posting it). */
  static show(extensionUri: vscode.Uri, actions: PanelActions, payload: TracePayload | null, preserveFocus = true): TracePanel {
    const existing = TracePanel.current;
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      if (payload) existing.load(payload);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      "asyncio trace",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      TracePanel.webviewOptions(extensionUri),
    );
    return (TracePanel.current = new TracePanel(panel, extensionUri, actions, payload));
  }

  /** Restores a panel VS Code kept across a reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, actions: PanelActions, payload: TracePayload | null): TracePanel {
    TracePanel.current?.dispose();
    panel.webview.options = TracePanel.webviewOptions(extensionUri);
    return (TracePanel.current = new TracePanel(panel, extensionUri, actions, payload));
  }

  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist"), vscode.Uri.joinPath(extensionUri, "media")],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly actions: PanelActions,
    payload: TracePayload | null,
  ) {
    this.payload = payload;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "icon.png");
    this.setHtml();
    this.setTitle();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        if (panel.visible) return;
        // A hidden webview is destroyed and rebuilt from `html` when shown again (it then says
        // "ready" once more): embed the latest trace.
        this.ready = false;
        if (this.embedded !== this.payload) this.setHtml();
      }),
    );
  }

  private setTitle(): void {
    const file = this.payload?.trace.file;
    this.panel.title = file ? `Trace: ${file.split(/[\\/]/).pop()}` : "asyncio trace";
  }

  /** The payload the current page embeds. */
  private embedded: TracePayload | null = null;

  private setHtml(): void {
    this.ready = false;
    this.embedded = this.payload;
    this.panel.webview.html = this.html(this.payload);
  }

  private html(payload: TracePayload | null): string {
    const webview = this.panel.webview;
    const locale = vscode.env.language.toLowerCase().startsWith("zh") ? "zh-tw" : "en";
    return buildPage({
      nonce: makeNonce(),
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", "webview.js")).toString(),
      embedded: { payload, standalone: false, locale },
      title: "asyncio trace",
      lang: locale === "zh-tw" ? "zh-Hant-TW" : "en",
    });
  }

  load(payload: TracePayload): void {
    this.payload = payload;
    this.setTitle();
    // Messages to a hidden webview are lost; it will be rebuilt from the page, so put the trace there.
    if (this.panel.visible) this.post({ type: "didLoadTrace", payload });
    else this.setHtml();
  }

  setRunStatus(status: RunStatusInfo): void {
    this.post({ type: "didChangeRunStatus", status });
  }

  post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  /** Resolves once the webview said "ready" (it has painted the embedded payload). */
  whenReady(timeoutMs = 15_000): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the trace panel did not load")), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** What the webview shows right now (tests and the `asyncioTrace.panelState` command). */
  async snapshot(timeoutMs = 10_000): Promise<PanelSnapshot> {
    await this.whenReady(timeoutMs);
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error("the trace panel did not answer"));
      }, timeoutMs);
      this.pending.set(id, (s) => {
        clearTimeout(timer);
        resolve(s);
      });
      this.post({ type: "snapshotRequest", id });
    });
  }

  private onMessage(raw: unknown): void {
    if (!isFromWebview(raw)) return;
    const m: FromWebview = raw;
    switch (m.type) {
      case "ready":
        this.ready = true;
        for (const w of this.readyWaiters.splice(0)) w();
        break;
      case "revealLocation":
        void this.actions.reveal(m.location, m.focusEditor);
        break;
      case "highlightTask":
        this.actions.highlightTask(m.task, m.lines);
        break;
      case "stepChanged":
        this.actions.stepChanged(m.location, m.text);
        break;
      case "rerun":
        this.actions.rerun();
        break;
      case "stop":
        this.actions.stop();
        break;
      case "export":
        this.actions.export(m.format);
        break;
      case "snapshotReply": {
        const resolve = this.pending.get(m.id);
        this.pending.delete(m.id);
        resolve?.(m.snapshot);
        break;
      }
    }
  }

  dispose(): void {
    if (TracePanel.current === this) TracePanel.current = undefined;
    this.actions.closed();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
