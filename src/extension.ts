// activate(): wiring and disposables only. The engine and the parser load inside these modules on
// first use (first trace, first Python document), never here.
import * as vscode from "vscode";
import { registerLinting } from "./vscode/lint";
import { registerRunFindings } from "./vscode/runFindings";
import { registerTracing } from "./vscode/traceCommands";

export function activate(context: vscode.ExtensionContext): void {
  registerTracing(context);
  registerLinting(context);
  context.subscriptions.push(registerRunFindings());
}

export function deactivate(): void {}
