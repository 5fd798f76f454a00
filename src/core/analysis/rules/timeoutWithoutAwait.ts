/** `asyncio.timeout` can only cancel at an await; a body without one is never interrupted. */
import { enclosing, resolveExpression, type Rule } from "../context";

export const timeoutWithoutAwait: Rule = {
  code: "timeout-without-await",
  check(analysis, report) {
    const items = analysis.syntax.items;
    for (const withItem of items) {
      if (withItem.kind !== "with" || !withItem.isAsync || withItem.node.hasError) continue;
      const timeoutCall = withItem.node
        .descendantsOfType("with_item")
        .map((w) => w?.namedChild(0))
        .map((v) => (v?.type === "as_pattern" ? v.namedChild(0) : v))
        .find((v) => {
          if (v?.type !== "call") return false;
          const fn = v.childForFieldName("function");
          if (!fn) return false;
          const callee = resolveExpression(analysis, fn, withItem.scope);
          return callee.kind === "qualified" && (callee.name === "asyncio.timeout" || callee.name === "asyncio.timeout_at");
        });
      if (!timeoutCall) continue;
      const body = withItem.node.childForFieldName("body");
      if (!body) continue;
      let awaits = false;
      for (let i = withItem.index + 1; i < items.length && items[i].start < withItem.end; i++) {
        const inner = items[i];
        if (inner.start < body.startIndex || inner.scope !== withItem.scope) continue;
        if (inner.kind === "await" || ((inner.kind === "with" || inner.kind === "for" || inner.kind === "forin") && inner.isAsync)) awaits = true;
      }
      if (!awaits && enclosing(analysis, withItem)?.kind !== "lambda") report({ code: "timeout-without-await", node: timeoutCall });
    }
  },
};
