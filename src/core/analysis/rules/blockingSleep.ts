/** `time.sleep` in a coroutine stops the whole event loop, not just this task. */
import { isInAsyncDef, resolveCallee, type Rule } from "../context";
import { useAsyncioSleep } from "../fixes/asyncFixes";

export const blockingSleep: Rule = {
  code: "blocking-sleep",
  check(analysis, report) {
    for (const item of analysis.syntax.items) {
      if (item.kind !== "call" || !isInAsyncDef(analysis, item)) continue;
      const callee = resolveCallee(analysis, item);
      if (callee.kind !== "qualified" || callee.name !== "time.sleep") continue;
      report({ code: "blocking-sleep", node: item.node, subject: "time.sleep", fixes: () => [useAsyncioSleep(analysis, item.node)] });
    }
  },
};
