/** Quick fixes for asyncio-trace diagnostics, "Disable for this line", and source.fixAll.asyncioTrace. */
import * as vscode from "vscode";
import { disableForLineEdit, fixAllEdits } from "../core/analysis/fixes/fixAll";
import { lintWithParser } from "../core/analysis/linter";
import type { Finding, TextEdit } from "../core/analysis/types";
import { FIX_TITLES } from "../core/explain/ruleTexts";
import { DIAGNOSTIC_SOURCE, toRange, type LintService } from "./lint";

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append("asyncioTrace");

function workspaceEdit(document: vscode.TextDocument, edits: TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(document.uri, toRange(e.range), e.newText);
  return edit;
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === "object" ? String(code.value) : code === undefined ? undefined : String(code);
}

class LintCodeActions implements vscode.CodeActionProvider {
  constructor(private readonly service: LintService) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const wantsFixAll = context.only?.contains(FIX_ALL_KIND) || (context.only && FIX_ALL_KIND.contains(context.only));
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (!wantsFixAll && ours.length === 0) return [];
    const python = await this.service.parser();
    const findings = lintWithParser(python, document.getText(), this.service.options(document, { withFixes: true }));
    if (wantsFixAll) {
      const edits = fixAllEdits(findings);
      if (edits.length === 0) return [];
      const action = new vscode.CodeAction(vscode.l10n.t("Fix all asyncio-trace problems"), FIX_ALL_KIND);
      action.edit = workspaceEdit(document, edits);
      return [action];
    }
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const finding = findings.find((f) => f.code === codeOf(diagnostic) && toRange(f.range).isEqual(diagnostic.range));
      if (!finding) continue;
      for (const fix of finding.fixes ?? []) {
        const action = new vscode.CodeAction(vscode.l10n.t(FIX_TITLES.en[fix.kind]), vscode.CodeActionKind.QuickFix);
        action.edit = workspaceEdit(document, fix.edits);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.preferred;
        actions.push(action);
      }
      actions.push(this.disableAction(document, diagnostic, finding));
    }
    return actions;
  }

  private disableAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, finding: Finding): vscode.CodeAction {
    const action = new vscode.CodeAction(vscode.l10n.t("Disable {0} for this line", finding.code), vscode.CodeActionKind.QuickFix);
    action.edit = workspaceEdit(document, [disableForLineEdit(document.getText(), finding)]);
    action.diagnostics = [diagnostic];
    return action;
  }
}

export function registerLintCodeActions(service: LintService): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider({ language: "python" }, new LintCodeActions(service), {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  });
}
