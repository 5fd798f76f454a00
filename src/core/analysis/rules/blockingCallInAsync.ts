/** Synchronous I/O in a coroutine: the loop can run nothing else until it returns. */
import { isInAsyncDef, lookup, resolveCallee, type Analysis, type Callee, type Rule } from "../context";
import { runInThread } from "../fixes/asyncFixes";
import type { Item } from "../syntax";

const BLOCKING = new Set([
  "urllib.request.urlopen",
  "subprocess.run",
  "subprocess.call",
  "subprocess.check_call",
  "subprocess.check_output",
  "subprocess.Popen",
  "os.system",
  "open",
  "input",
]);
const HTTPX_FUNCTIONS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "stream"]);

export const blockingCallInAsync: Rule = {
  code: "blocking-call-in-async",
  check(analysis, report) {
    for (const item of analysis.syntax.items) {
      if (item.kind !== "call" || !isInAsyncDef(analysis, item)) continue;
      const callee = resolveCallee(analysis, item);
      const name = blockingName(analysis, item, callee);
      if (name) report({ code: "blocking-call-in-async", node: item.node, subject: name, fixes: () => (item.node.parent?.type === "with_item" ? [] : [runInThread(analysis, item.node)]) });
    }
  },
};

function blockingName(analysis: Analysis, item: Item, callee: Callee): string | undefined {
  if (callee.kind === "qualified") {
    const name = callee.name;
    if (BLOCKING.has(name) || name.startsWith("requests.")) return name;
    if (name.startsWith("httpx.") && HTTPX_FUNCTIONS.has(name.slice(6))) return name;
    return undefined;
  }
  // Methods of a synchronous `httpx.Client()` made in this coroutine (`client = ...` or `with ... as client`).
  if (callee.kind === "member" && HTTPX_FUNCTIONS.has(callee.attr)) {
    const made = callee.binding?.kind === "value" ? callee.binding.fromCall : withTargetCall(analysis, item, callee.base);
    if (made && isHttpxClient(analysis, made, item.scope)) return `httpx.Client.${callee.attr}`;
  }
  return undefined;
}

function isHttpxClient(analysis: Analysis, calleeText: string, scope: number): boolean {
  const [base, ...rest] = calleeText.split(".");
  const binding = lookup(analysis, base, scope);
  const qualified = binding?.kind === "import" ? [binding.qualified, ...rest].join(".") : undefined;
  return qualified === "httpx.Client";
}

/** `with httpx.Client() as client:` around this call, in the same coroutine. */
function withTargetCall(analysis: Analysis, item: Item, name: string): string | undefined {
  for (let node = item.node.parent; node; node = node.parent) {
    if (node.type === "function_definition") return undefined;
    if (node.type !== "with_statement") continue;
    for (const withItem of node.descendantsOfType("as_pattern")) {
      const target = withItem?.childForFieldName("alias")?.text ?? withItem?.namedChildren.find((c) => c?.type === "as_pattern_target")?.text;
      const value = withItem?.namedChild(0);
      if (target === name && value?.type === "call") return value.childForFieldName("function")?.text;
    }
  }
  return undefined;
}
