/** A task nobody keeps a reference to can be garbage-collected mid-flight, and its exception is never seen. */
import { lookup, parentType, resolveCallee, type Analysis, type Callee, type Rule } from "../context";
import { keepTaskReference } from "../fixes/asyncFixes";

const TASK_MAKERS = new Set(["asyncio.create_task", "asyncio.ensure_future"]);
const LOOP_GETTERS = /(^|\.)(get_running_loop|get_event_loop|new_event_loop)$/;

export const danglingTask: Rule = {
  code: "dangling-task",
  check(analysis, report) {
    for (const item of analysis.syntax.items) {
      if (item.kind !== "call") continue;
      const callee = resolveCallee(analysis, item);
      if (!makesTask(analysis, callee, item.scope) || parentType(analysis, item) !== "expression_statement") continue;
      const subject = callee.kind === "qualified" ? callee.name : "loop.create_task";
      report({ code: "dangling-task", node: item.node, subject, fixes: () => [keepTaskReference(analysis, item)] });
    }
  },
};

function makesTask(analysis: Analysis, callee: Callee, scope: number): boolean {
  if (callee.kind === "qualified") return TASK_MAKERS.has(callee.name);
  if (callee.kind !== "member" || callee.attr !== "create_task") return false;
  // `tg.create_task` of a TaskGroup keeps its own reference; only event loops are flagged.
  const binding = callee.binding ?? lookup(analysis, callee.base, scope);
  if (binding?.kind === "value" && binding.fromCall) return LOOP_GETTERS.test(binding.fromCall);
  return callee.base === "loop";
}
