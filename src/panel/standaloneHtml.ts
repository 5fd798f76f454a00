/**
 * `asyncio-trace trace FILE --html OUT.html`: one self-contained page with the webview bundle and
 * the trace inlined, no network access, looking like the panel. vscode-free (the CLI uses it).
 */
import { readFileSync } from "node:fs";
import type { Finding } from "../core/findings/types";
import type { Trace } from "../core/trace/schema";
import { buildPage, makeNonce } from "./html";

/**
 * The theme variables VS Code would set, with the values of its Dark Modern and Light Modern
 * themes, so the same stylesheet works outside VS Code (chosen by the reader's colour scheme).
 */
export const STANDALONE_THEME_CSS = `
:root {
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif;
  --vscode-font-size: 13px;
  --vscode-editor-font-family: ui-monospace, "Cascadia Code", "DejaVu Sans Mono", monospace;
  --vscode-editor-font-size: 12px;
  --vscode-editor-background: #1f1f1f;
  --vscode-editor-foreground: #cccccc;
  --vscode-foreground: #cccccc;
  --vscode-descriptionForeground: #9d9d9d;
  --vscode-editorRuler-foreground: #5a5a5a;
  --vscode-panel-border: #2b2b2b;
  --vscode-panel-background: #181818;
  --vscode-settings-headerBorder: #2b2b2b;
  --vscode-list-hoverBackground: #2a2d2e;
  --vscode-list-activeSelectionBackground: #04395e;
  --vscode-list-activeSelectionForeground: #ffffff;
  --vscode-charts-green: #89d185;
  --vscode-charts-blue: #3794ff;
  --vscode-charts-yellow: #cca700;
  --vscode-charts-orange: #d18616;
  --vscode-charts-red: #f14c4c;
  --vscode-editorWarning-foreground: #cca700;
  --vscode-editorInfo-foreground: #3794ff;
  --vscode-errorForeground: #f85149;
  --vscode-focusBorder: #0078d4;
  --vscode-editor-selectionBackground: #264f78;
  --vscode-badge-background: #616161;
  --vscode-badge-foreground: #f8f8f8;
  --vscode-textBlockQuote-background: #2b2b2b;
  --vscode-textLink-foreground: #4daafc;
  --vscode-editorHoverWidget-background: #202020;
  --vscode-editorHoverWidget-foreground: #cccccc;
  --vscode-editorHoverWidget-border: #454545;
  --vscode-button-background: #0078d4;
  --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #026ec1;
  --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc;
  --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-button-border: #ffffff12;
  --vscode-panelTitle-activeForeground: #cccccc;
  --vscode-panelTitle-activeBorder: #0078d4;
  --vscode-panelTitle-inactiveForeground: #9d9d9d;
  --vscode-progressBar-background: #0078d4;
}
@media (prefers-color-scheme: light) {
  :root {
    --vscode-editor-background: #ffffff;
    --vscode-editor-foreground: #3b3b3b;
    --vscode-foreground: #3b3b3b;
    --vscode-descriptionForeground: #616161;
    --vscode-editorRuler-foreground: #d3d3d3;
    --vscode-panel-border: #e5e5e5;
    --vscode-panel-background: #f8f8f8;
    --vscode-settings-headerBorder: #e5e5e5;
    --vscode-list-hoverBackground: #f2f2f2;
    --vscode-list-activeSelectionBackground: #e8e8e8;
    --vscode-list-activeSelectionForeground: #000000;
    --vscode-charts-green: #388a34;
    --vscode-charts-blue: #1a85ff;
    --vscode-charts-yellow: #bf8803;
    --vscode-charts-orange: #d18616;
    --vscode-charts-red: #e51400;
    --vscode-editorWarning-foreground: #bf8803;
    --vscode-editorInfo-foreground: #1a85ff;
    --vscode-errorForeground: #f85149;
    --vscode-focusBorder: #005fb8;
    --vscode-editor-selectionBackground: #add6ff;
    --vscode-badge-background: #cccccc;
    --vscode-badge-foreground: #3b3b3b;
    --vscode-textBlockQuote-background: #f8f8f8;
    --vscode-textLink-foreground: #005fb8;
    --vscode-editorHoverWidget-background: #f8f8f8;
    --vscode-editorHoverWidget-foreground: #3b3b3b;
    --vscode-editorHoverWidget-border: #c8c8c8;
    --vscode-button-background: #005fb8;
    --vscode-button-hoverBackground: #0258a8;
    --vscode-button-secondaryBackground: #e5e5e5;
    --vscode-button-secondaryForeground: #3b3b3b;
    --vscode-button-secondaryHoverBackground: #cccccc;
    --vscode-button-border: #0000001a;
    --vscode-panelTitle-activeForeground: #3b3b3b;
    --vscode-panelTitle-activeBorder: #005fb8;
    --vscode-panelTitle-inactiveForeground: #3b3b3b;
    --vscode-progressBar-background: #005fb8;
  }
}
`;

export interface StandaloneOptions {
  /** Text of the traced user files; by default the trace's main file is read from disk if it exists. */
  sources?: Record<string, string>;
  locale?: string;
  /** Fixed nonce (tests); random by default. */
  nonce?: string;
}

/** Source text for tooltips: the main program file, read from disk when it is there. */
export function readSources(trace: Trace): Record<string, string> {
  try {
    return { [trace.file]: readFileSync(trace.file, "utf8") };
  } catch {
    return {};
  }
}

export function buildStandaloneHtml(trace: Trace, findings: Finding[], webviewBundleJs: string, css?: string, options: StandaloneOptions = {}): string {
  const base = trace.file.split(/[\\/]/).pop() ?? trace.file;
  const locale = options.locale ?? "en";
  return buildPage({
    nonce: options.nonce ?? makeNonce(),
    inlineScript: webviewBundleJs,
    inlineCss: STANDALONE_THEME_CSS + (css ?? ""),
    embedded: { payload: { trace, findings, runId: 1, sources: options.sources ?? readSources(trace) }, standalone: true, locale },
    title: `asyncio-trace — ${base}`,
    lang: locale === "zh-tw" ? "zh-Hant-TW" : "en",
  });
}
