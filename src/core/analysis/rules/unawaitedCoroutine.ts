/** A coroutine object created and thrown away: its body never runs. */
import type { Node } from "web-tree-sitter";
import { calleeName, isCoroutineCallee, parentType, resolveCallee, type Analysis, type Rule } from "../context";
import { addAwait, wrapInAsyncioRun } from "../fixes/asyncFixes";
import type { Item } from "../syntax";
import type { Fix } from "../types";

export const unawaitedCoroutine: Rule = {
  code: "unawaited-coroutine",
  check(analysis, report) {
    for (const item of analysis.syntax.items) {
      if (item.kind !== "call") continue;
      // Resolving is cheap and memoized; the parent costs a walk from the root, so it is asked last.
      const callee = resolveCallee(analysis, item);
      if (!isCoroutineCallee(callee)) continue;
      const parent = parentType(analysis, item);
      if (parent !== "expression_statement" && parent !== "assignment") continue;
      if (parent === "assignment" && !isUnusedLocal(analysis, item, item.node.parent!)) continue;
      report({ code: "unawaited-coroutine", node: item.node, subject: calleeName(callee), fixes: () => fixesFor(analysis, item) });
    }
  },
};

/**
 * `x = coro()` inside a function where x is never read again, or at module level where the name
 * appears nowhere else in the file. A module-level name may be read from any function, or by
 * name in a string (`globals()["x"]`), so any other whole-word mention, even in a comment,
 * counts as a use.
 */
function isUnusedLocal(analysis: Analysis, call: Item, assignment: Node): boolean {
  if (assignment.childForFieldName("right")?.startIndex !== call.start) return false;
  const left = assignment.childForFieldName("left");
  if (left?.type !== "identifier") return false;
  if (call.scope === -1) return mentionsOf(analysis.text, left.text, 2) === 1;
  let scope = call.scope >= 0 ? analysis.syntax.items[call.scope] : undefined;
  while (scope && scope.kind === "class") scope = scope.scope >= 0 ? analysis.syntax.items[scope.scope] : undefined;
  if (!scope || scope.kind !== "def") return false;
  const body = scope.node.childForFieldName("body");
  if (!body) return false;
  const name = left.text;
  const after = assignment.endIndex;
  // Identifiers are not in the shared query (too many); this scan runs only for the rare `x = coro()`.
  const stack: Node[] = [body];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === "identifier" && node.startIndex >= after && node.text === name) return false;
    // A read earlier in a loop body also counts: the next iteration sees the value.
    if (node.type === "identifier" && node.text === name && node.startIndex < assignment.startIndex && insideLoopAround(node, assignment)) return false;
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  return true;
}

/** How many times `name` occurs as a whole word in `text`, counting up to `limit`. */
export function mentionsOf(text: string, name: string, limit: number): number {
  let count = 0;
  for (let at = text.indexOf(name); at >= 0 && count < limit; at = text.indexOf(name, at + name.length)) {
    if (!isNameCode(text.charCodeAt(at - 1)) && !isNameCode(text.charCodeAt(at + name.length))) count++;
  }
  return count;
}

function isNameCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code >= 128;
}

function insideLoopAround(read: Node, assignment: Node): boolean {
  for (let n: Node | null = assignment.parent; n; n = n.parent) {
    if ((n.type === "for_statement" || n.type === "while_statement") && n.startIndex <= read.startIndex) return true;
    if (n.type === "function_definition") return false;
  }
  return false;
}

function fixesFor(analysis: Analysis, item: Item): Fix[] {
  const scope = item.scope >= 0 ? analysis.syntax.items[item.scope] : undefined;
  if (scope?.kind === "def" && scope.isAsync) return [addAwait(analysis, item.node)];
  if (!scope) return analysis.options.notebook ? [addAwait(analysis, item.node)] : [wrapInAsyncioRun(analysis, item.node)];
  return [];
}
