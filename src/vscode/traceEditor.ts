// Editor effects of the trace panel: reveal a line, the playback decoration ("Task-2 · await
// asyncio.sleep(3) · t=0.0 s"), and the highlight of the lines a selected task ran.
import * as vscode from "vscode";
import type { SourceLocation } from "../core/trace/schema";

export class TraceEditorEffects implements vscode.Disposable {
  private readonly stepType = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor("editor.rangeHighlightBackground"),
    borderColor: new vscode.ThemeColor("editor.rangeHighlightBorder"),
    after: { color: new vscode.ThemeColor("editorCodeLens.foreground"), margin: "0 0 0 2em", fontStyle: "italic" },
  });
  private readonly taskType = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor("editor.wordHighlightBackground"),
    overviewRulerColor: new vscode.ThemeColor("editorOverviewRuler.wordHighlightForeground"),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
  private step: { location: SourceLocation; text: string } | null = null;
  private taskLines: SourceLocation[] = [];
  private readonly sub: vscode.Disposable;

  constructor() {
    // Decorations belong to editors; re-apply when the file is shown again.
    this.sub = vscode.window.onDidChangeVisibleTextEditors(() => this.apply());
  }

  /** The last playback decoration (tests read it through a command). */
  get currentStep(): { location: SourceLocation; text: string } | null {
    return this.step;
  }

  async reveal(location: SourceLocation, focusEditor: boolean): Promise<vscode.TextEditor | undefined> {
    const uri = vscode.Uri.file(location.file);
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(uri);
    } catch {
      return undefined; // a file inside the runtime (e.g. asyncio's own code) that is not on disk
    }
    const line = Math.min(Math.max(0, location.line - 1), doc.lineCount - 1);
    const range = doc.lineAt(line).range;
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: !focusEditor,
      selection: focusEditor ? new vscode.Selection(range.start, range.end) : undefined,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    if (!focusEditor && shown === undefined) editor.selection = new vscode.Selection(range.start, range.start);
    return editor;
  }

  setStep(location: SourceLocation | null, text: string): void {
    this.step = location ? { location, text } : null;
    this.apply();
  }

  setTaskLines(lines: SourceLocation[]): void {
    this.taskLines = lines;
    this.apply();
  }

  clear(): void {
    this.step = null;
    this.taskLines = [];
    this.apply();
  }

  private apply(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const file = editor.document.uri.fsPath;
      const stepOpts: vscode.DecorationOptions[] = [];
      if (this.step && this.step.location.file === file && this.step.location.line <= editor.document.lineCount) {
        stepOpts.push({
          range: editor.document.lineAt(this.step.location.line - 1).range,
          renderOptions: { after: { contentText: this.step.text } },
        });
      }
      editor.setDecorations(this.stepType, stepOpts);
      editor.setDecorations(
        this.taskType,
        this.taskLines.filter((l) => l.file === file && l.line <= editor.document.lineCount).map((l) => editor.document.lineAt(l.line - 1).range),
      );
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.stepType.dispose();
    this.taskType.dispose();
  }
}
