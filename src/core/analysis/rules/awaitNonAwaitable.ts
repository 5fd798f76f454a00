/** `await` on the result of a plain function: a TypeError at run time. */
import { calleeName, resolveCallee, type Analysis, type Callee, type Rule } from "../context";
import { removeAwait, useAsyncioSleep } from "../fixes/asyncFixes";
import type { Item } from "../syntax";

const SYNC_BUILTINS = new Set(["print", "len"]);

export const awaitNonAwaitable: Rule = {
  code: "await-non-awaitable",
  check(analysis, report) {
    for (const item of analysis.syntax.items) {
      if (item.kind !== "await") continue;
      // Items come in document order, so an awaited call is the very next item. The callee is
      // checked first (cheap, memoized); asking the tree whether the await's operand is that very
      // call is a call into the wasm, left for the few known-sync callees.
      const call = analysis.syntax.items[item.index + 1];
      if (call?.kind !== "call") continue;
      const callee = resolveCallee(analysis, call);
      if (!isKnownSync(callee)) continue;
      const awaited = item.node.namedChild(0);
      if (awaited?.type !== "call" || call.start !== awaited.startIndex) continue;
      report({ code: "await-non-awaitable", node: item.node, subject: calleeName(callee), fixes: () => fixesFor(analysis, item, call, callee) });
    }
  },
};

function isKnownSync(callee: Callee): boolean {
  if (callee.kind === "def") return !callee.isAsync;
  if (callee.kind !== "qualified") return false;
  return callee.name === "time.sleep" || SYNC_BUILTINS.has(callee.name) || callee.name.startsWith("requests.");
}

function fixesFor(analysis: Analysis, item: Item, call: Item, callee: Callee) {
  if (callee.kind === "qualified" && callee.name === "time.sleep") return [useAsyncioSleep(analysis, call.node)];
  const safe = callee.kind === "qualified" && SYNC_BUILTINS.has(callee.name);
  return [removeAwait(analysis, item.node, safe)];
}
