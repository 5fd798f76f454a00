/** `await` / `async for` / `async with` where Python does not allow them (a SyntaxError before anything runs). */
import type { Node } from "web-tree-sitter";
import { enclosing, rangeOf, type Analysis, type Rule } from "../context";
import { makeDefAsync, wrapInAsyncMain } from "../fixes/asyncFixes";
import type { Item } from "../syntax";

export const awaitOutsideAsync: Rule = {
  code: "await-outside-async",
  check(analysis, report) {
    for (const item of analysis.syntax.items) {
      const isAwaitForm = item.kind === "await" || ((item.kind === "with" || item.kind === "for" || item.kind === "forin") && item.isAsync);
      if (!isAwaitForm) continue;
      const scope = enclosing(analysis, item);
      if (scope?.kind === "def" && scope.isAsync) continue;
      if (!scope && analysis.options.notebook) continue; // a notebook cell runs inside a loop: top-level await is valid
      const subject = item.kind === "await" ? "await" : item.kind === "with" ? "async with" : "async for";
      report({
        code: "await-outside-async",
        node: item.node,
        range: item.kind === "with" || item.kind === "for" ? headerRange(analysis, item.node) : undefined,
        subject,
        fixes: () => fixesFor(analysis, item, scope),
      });
    }
  },
};

/** From `async` to the colon: the body of an `async with` is not itself the mistake. */
function headerRange(analysis: Analysis, node: Node) {
  const range = rangeOf(analysis, node);
  const body = node.childForFieldName("body");
  const colon = body?.previousSibling;
  if (colon) range.end = { line: colon.endPosition.row + analysis.rowOffset, character: colon.endPosition.column };
  return range;
}

function fixesFor(analysis: Analysis, item: Item, scope: Item | undefined) {
  if (!scope) return [wrapInAsyncMain(analysis, item.node)];
  if (scope.kind === "def") return [makeDefAsync(analysis, scope.node)];
  return [];
}
