/** Hovers: explanations of asyncio-trace diagnostics (with a before/after snippet) and of async/await and asyncio APIs. */
import * as vscode from "vscode";
import { hoverTargetAt } from "../core/analysis/hoverTarget";
import { RULE_CODES, type RuleCode } from "../core/analysis/types";
import { hoverMarkdown } from "../core/explain/hoverTexts";
import { diagnosticHoverMarkdown, languageFor } from "../core/explain/ruleTexts";
import { DIAGNOSTIC_SOURCE, type LintService } from "./lint";

class LintHover implements vscode.HoverProvider {
  constructor(private readonly service: LintService) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const lang = languageFor(vscode.env.language);
    const parts: vscode.MarkdownString[] = [];
    let range: vscode.Range | undefined;
    for (const diagnostic of this.service.diagnostics.get(document.uri) ?? []) {
      const code = typeof diagnostic.code === "object" ? String(diagnostic.code.value) : String(diagnostic.code);
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || !diagnostic.range.contains(position) || !RULE_CODES.includes(code as RuleCode)) continue;
      parts.push(new vscode.MarkdownString(diagnosticHoverMarkdown(code as RuleCode, lang)));
      range ??= diagnostic.range;
    }
    const python = await this.service.parser();
    const target = hoverTargetAt(python, document.getText(), position.line, position.character);
    const text = target && hoverMarkdown(target.name, lang);
    if (target && text) {
      parts.push(new vscode.MarkdownString(text));
      range ??= new vscode.Range(target.start.line, target.start.character, target.end.line, target.end.character);
    }
    return parts.length ? new vscode.Hover(parts, range) : undefined;
  }
}

export function registerLintHover(service: LintService): vscode.Disposable {
  return vscode.languages.registerHoverProvider({ language: "python" }, new LintHover(service));
}
