// activate(): wiring and disposables only. Everything heavy (engine, parser) loads on first use.
import * as vscode from "vscode";

export function activate(context: vscode.ExtensionContext): void {
  void context;
  (require("./vscode/traceCommands") as typeof import("./vscode/traceCommands")).registerTracing(context);
  (require("./vscode/lint") as typeof import("./vscode/lint")).registerLinting(context);
  context.subscriptions.push((require("./vscode/runFindings") as typeof import("./vscode/runFindings")).registerRunFindings());
}

export function deactivate(): void {}
