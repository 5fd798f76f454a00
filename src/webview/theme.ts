// Canvas colours, read from VS Code's theme variables so dark, light and high-contrast themes
// all work. Re-read when the theme changes (VS Code swaps the body class).

export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  laneAlt: string;
  step: string;
  wait: string;
  blocked: string;
  idle: string;
  error: string;
  ok: string;
  focus: string;
  cursor: string;
  selection: string;
  font: string;
}

function cssVar(style: CSSStyleDeclaration, names: string[]): string {
  for (const n of names) {
    const v = style.getPropertyValue(n).trim();
    if (v) return v;
  }
  // Only reached outside VS Code without the standalone page's defaults: follow the text colour.
  return style.color || "CanvasText";
}

export function readPalette(el: HTMLElement = document.body): Palette {
  const s = getComputedStyle(el);
  return {
    background: cssVar(s, ["--vscode-editor-background"]),
    foreground: cssVar(s, ["--vscode-editor-foreground", "--vscode-foreground"]),
    muted: cssVar(s, ["--vscode-descriptionForeground"]),
    grid: cssVar(s, ["--vscode-editorRuler-foreground", "--vscode-panel-border", "--vscode-descriptionForeground"]),
    laneAlt: cssVar(s, ["--vscode-list-hoverBackground", "--vscode-editor-background"]),
    step: cssVar(s, ["--vscode-charts-green", "--vscode-foreground"]),
    wait: cssVar(s, ["--vscode-charts-blue", "--vscode-foreground"]),
    blocked: cssVar(s, ["--vscode-editorWarning-foreground", "--vscode-charts-orange"]),
    idle: cssVar(s, ["--vscode-descriptionForeground"]),
    error: cssVar(s, ["--vscode-errorForeground", "--vscode-charts-red"]),
    ok: cssVar(s, ["--vscode-charts-green", "--vscode-foreground"]),
    focus: cssVar(s, ["--vscode-focusBorder", "--vscode-foreground"]),
    cursor: cssVar(s, ["--vscode-charts-yellow", "--vscode-editorCursor-foreground"]),
    selection: cssVar(s, ["--vscode-editor-selectionBackground", "--vscode-focusBorder"]),
    font: `${s.getPropertyValue("--vscode-editor-font-size").trim() || "12px"} ${s.getPropertyValue("--vscode-font-family").trim() || "sans-serif"}`,
  };
}

/** VS Code swaps the body class on a theme change; the standalone page follows the OS colour scheme. */
export function onThemeChange(callback: () => void): void {
  const observer = new MutationObserver(callback);
  observer.observe(document.body, { attributes: true, attributeFilter: ["class"] });
  // VS Code writes the theme's --vscode-* values on <html style>.
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["style", "class"] });
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", callback);
}
