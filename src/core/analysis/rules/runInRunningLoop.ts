/** `asyncio.run` where a loop is already running: RuntimeError. */
import { enclosing, isInAsyncDef, resolveCallee, type Rule } from "../context";
import { replaceRunWithAwait } from "../fixes/asyncFixes";

export const runInRunningLoop: Rule = {
  code: "run-in-running-loop",
  check(analysis, report) {
    for (const item of analysis.syntax.items) {
      if (item.kind !== "call") continue;
      if (!analysis.options.notebook && !isInAsyncDef(analysis, item)) continue;
      const callee = resolveCallee(analysis, item);
      if (callee.kind !== "qualified" || callee.name !== "asyncio.run") continue;
      report({ code: "run-in-running-loop", node: item.node, subject: "asyncio.run", fixes: () => (isInAsyncDef(analysis, item) || !enclosing(analysis, item) ? [replaceRunWithAwait(analysis, item.node)] : []) });
    }
  },
};
