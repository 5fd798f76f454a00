/** Everything a rule sees about one parsed region, plus name resolution shared by the rules. */
import type { Node } from "web-tree-sitter";
import type { ModuleSymbols } from "./symbols";
import type { Binding, Item, Syntax } from "./syntax";
import type { Fix, LintOptions, Range, RuleCode } from "./types";

export interface Analysis {
  /** The whole document (fixes look at imports and indentation outside the region). */
  text: string;
  syntax: Syntax;
  symbols: ModuleSymbols;
  options: LintOptions;
  /** Rows to add to node positions: non-zero when one top-level statement was parsed on its own. */
  rowOffset: number;
  /** Lines of `text`, split once on demand. */
  lines(): string[];
}

export interface Report {
  code: RuleCode;
  node: Node;
  /** Range to flag when it differs from the node's. */
  range?: Range;
  subject?: string;
  fixes?: () => Fix[];
}

export type Reporter = (report: Report) => void;

export interface Rule {
  code: RuleCode;
  check(analysis: Analysis, report: Reporter): void;
}

/** Awaiting these returns a coroutine object from the standard library. */
export const ASYNCIO_COROUTINES = new Set(["asyncio.sleep", "asyncio.wait_for", "asyncio.wait", "asyncio.to_thread", "asyncio.open_connection"]);

export type Callee =
  | { kind: "qualified"; name: string }
  | { kind: "def"; name: string; isAsync: boolean }
  | { kind: "method"; className: string; method: string; isAsync?: boolean }
  | { kind: "member"; base: string; binding?: Binding; attr: string }
  | { kind: "unknown" };

export function rangeOf(analysis: Analysis, node: Node): Range {
  const start = node.startPosition;
  const end = node.endPosition;
  return {
    start: { line: start.row + analysis.rowOffset, character: start.column },
    end: { line: end.row + analysis.rowOffset, character: end.column },
  };
}

/** The innermost def or lambda or class around an item, or undefined at module level. */
export function enclosing(analysis: Analysis, item: Item): Item | undefined {
  return item.scope >= 0 ? analysis.syntax.items[item.scope] : undefined;
}

export function isInAsyncDef(analysis: Analysis, item: Item): boolean {
  const scope = enclosing(analysis, item);
  return scope?.kind === "def" && scope.isAsync;
}

/** Looks a name up through the enclosing function scopes, then the module. Class bodies do not enclose. */
export function lookup(analysis: Analysis, name: string, scope: number): Binding | undefined {
  const { items, localBindings } = analysis.syntax;
  for (let s = scope; s >= 0; s = items[s].scope) {
    const binding = localBindings.get(s)?.get(name);
    if (binding) return binding;
  }
  return analysis.symbols.bindings.get(name);
}

/** The class whose method contains this scope (for `self.x()` / `cls.x()`). */
function enclosingClassName(analysis: Analysis, scope: number): string | undefined {
  const { items } = analysis.syntax;
  for (let s = scope; s >= 0; s = items[s].scope) {
    if (items[s].kind === "def") {
      const parent = items[s].scope >= 0 ? items[items[s].scope] : undefined;
      if (parent?.kind === "class") return parent.name;
    }
  }
  return undefined;
}

/** What a call calls, following imports, aliases and shadowing. Memoized: several rules ask about every call. */
export function resolveCallee(analysis: Analysis, call: Item): Callee {
  let callee = call.callee;
  if (!callee) {
    if (call.calleeParts) {
      callee = resolveName(analysis, call.calleeParts[0], call.calleeParts.slice(1), call.scope);
    } else {
      const fn = call.node.childForFieldName("function");
      callee = fn ? resolveExpression(analysis, fn, call.scope) : { kind: "unknown" };
    }
    call.callee = callee;
  }
  return callee;
}

/**
 * "expression_statement" for a call directly under one, "assignment" for a call that is an
 * assignment's right side, "decorated_definition" for a decorated def; "" otherwise. Computed on
 * first use: node.parent walks down from the root, so rules ask only about the calls they flag.
 */
export function parentType(analysis: Analysis, item: Item): string {
  item.parentType ??= computeParentType(analysis.syntax, item);
  return item.parentType;
}

function computeParentType(syntax: Syntax, item: Item): string {
  if (item.kind === "call" && !syntax.hasError && !mayStartStatementOrRightSide(syntax.text, item.start)) return "";
  const parent = item.node.parent;
  if (!parent) return "";
  const type = parent.type;
  if (item.kind === "call") {
    if (type === "expression_statement") return type;
    if (type === "assignment" && parent.childForFieldName("right")?.id === item.node.id) return type;
  } else if (item.kind === "def" && type === "decorated_definition" && parent.childForFieldName("definition")?.id === item.node.id) {
    return type;
  }
  return "";
}

/**
 * False when the character before `start` (past spaces and tabs) rules out a statement's own
 * expression or an assignment's right side: a name or keyword (`await f()`, `return f()`), an
 * opening bracket, a dot or an operator. Anything else is left to the tree.
 */
function mayStartStatementOrRightSide(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  if (i < 0) return true;
  const code = text.charCodeAt(i);
  if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95) return false;
  return !"([{.+-*/%&|^~<>!@".includes(text[i]);
}

export function resolveExpression(analysis: Analysis, fn: Node, scope: number): Callee {
  if (fn.type === "identifier") return resolveName(analysis, fn.text, [], scope);
  if (fn.type !== "attribute") return { kind: "unknown" };
  const parts: string[] = [];
  let object: Node | null = fn;
  while (object?.type === "attribute") {
    parts.unshift(object.childForFieldName("attribute")?.text ?? "");
    object = object.childForFieldName("object");
  }
  if (object?.type !== "identifier") return { kind: "unknown" };
  return resolveName(analysis, object.text, parts, scope);
}

/** `base` alone (an identifier), or `base.parts...` (an attribute chain on an identifier). */
function resolveName(analysis: Analysis, base: string, parts: string[], scope: number): Callee {
  const binding = lookup(analysis, base, scope);
  if (parts.length === 0) {
    if (!binding) return { kind: "qualified", name: base };
    if (binding.kind === "import") return { kind: "qualified", name: binding.qualified };
    if (binding.kind === "def") return { kind: "def", name: base, isAsync: binding.isAsync };
    return { kind: "unknown" };
  }
  const attr = parts.join(".");
  if (binding?.kind === "import") return { kind: "qualified", name: `${binding.qualified}.${attr}` };
  if ((base === "self" || base === "cls") && parts.length === 1) {
    const className = enclosingClassName(analysis, scope);
    if (className !== undefined) return { kind: "method", className, method: attr, isAsync: analysis.symbols.classMethods.get(className)?.get(attr) };
  }
  if (binding?.kind === "class" && parts.length === 1) {
    return { kind: "method", className: base, method: attr, isAsync: analysis.symbols.classMethods.get(base)?.get(attr) };
  }
  return { kind: "member", base, binding, attr };
}

export function isCoroutineCallee(callee: Callee): boolean {
  if (callee.kind === "qualified") return ASYNCIO_COROUTINES.has(callee.name);
  if (callee.kind === "def") return callee.isAsync;
  if (callee.kind === "method") return callee.isAsync === true;
  return false;
}

export function calleeName(callee: Callee): string {
  switch (callee.kind) {
    case "qualified":
    case "def":
      return callee.name;
    case "method":
      return `${callee.className}.${callee.method}`;
    case "member":
      return `${callee.base}.${callee.attr}`;
    default:
      return "";
  }
}

/** Items of the same function body: inside [from, to) and not inside a nested def, lambda or class. */
export function* itemsDirectlyIn(analysis: Analysis, scope: number, from: number, to: number, startAt = 0): Generator<Item> {
  const { items } = analysis.syntax;
  for (let i = startAt; i < items.length; i++) {
    const item = items[i];
    if (item.start < from) continue;
    if (item.start >= to) break;
    if (item.scope === scope) yield item;
  }
}

