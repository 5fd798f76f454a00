/** Polling a flag with `await asyncio.sleep` in a loop: an Event or Condition wakes the task exactly when needed. */
import { isInAsyncDef, resolveCallee, type Analysis, type Rule } from "../context";
import type { Item } from "../syntax";

export const asyncBusyWait: Rule = {
  code: "async-busy-wait",
  check(analysis, report) {
    const items = analysis.syntax.items;
    for (const loop of items) {
      if (loop.kind !== "while" || loop.node.hasError || !isInAsyncDef(analysis, loop)) continue;
      let sleeps = 0;
      let others = 0;
      for (let i = loop.index + 1; i < items.length && items[i].start < loop.end; i++) {
        const inner = items[i];
        if (inner.scope !== loop.scope) continue;
        if (inner.kind === "await") {
          if (isAsyncioSleep(analysis, items[i + 1], inner)) sleeps++;
          else others++;
        } else if ((inner.kind === "with" || inner.kind === "for" || inner.kind === "forin") && inner.isAsync) others++;
      }
      if (sleeps === 0 || others > 0 || !pollsCondition(loop)) continue;
      const condition = loop.node.childForFieldName("condition");
      report({ code: "async-busy-wait", node: condition ?? loop.node });
    }
  },
};

function isAsyncioSleep(analysis: Analysis, next: Item | undefined, awaitItem: Item): boolean {
  if (next?.kind !== "call") return false;
  const callee = resolveCallee(analysis, next);
  // The tree is asked last: only an asyncio.sleep call needs checking that it is the await's operand.
  return callee.kind === "qualified" && callee.name === "asyncio.sleep" && next.start === awaitItem.node.namedChild(0)?.startIndex;
}

/** `while not ready:` polls; `while True:` polls only when the body breaks out on some condition. */
function pollsCondition(loop: Item): boolean {
  const condition = loop.node.childForFieldName("condition");
  if (!condition) return false;
  if (condition.type !== "true" && condition.text !== "1") return true;
  const body = loop.node.childForFieldName("body");
  return !!body && body.descendantsOfType(["break_statement", "return_statement"]).length > 0;
}
