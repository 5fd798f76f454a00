// activate(): wiring and disposables only. Everything heavy (engine, parser) loads on first use.
import * as vscode from "vscode";

export function activate(context: vscode.ExtensionContext): void {
  void context;
}

export function deactivate(): void {}
