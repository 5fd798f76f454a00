/**
 * One walk inside the wasm (descendantsOfType) collects every node the rules look at, in document
 * order, and a stack pass gives each one its enclosing def/lambda/class. This is cheaper than a
 * tree-sitter query over the same node types: the query engine's per-node bookkeeping costs about
 * twice the plain cursor walk. Facts that would each cost a call into the wasm (is the def `async`,
 * its name, a call's callee) are read from the source text where the text alone is unambiguous.
 */
import type { Language, Node } from "web-tree-sitter";
import type { Callee } from "./context";

const ITEM_TYPES = {
  function_definition: "def",
  lambda: "lambda",
  class_definition: "class",
  call: "call",
  await: "await",
  with_statement: "with",
  for_statement: "for",
  for_in_clause: "forin",
  while_statement: "while",
  import_statement: "import",
  import_from_statement: "importfrom",
  assignment: "assign",
  yield: "yield",
} as const;

export type ItemKind = (typeof ITEM_TYPES)[keyof typeof ITEM_TYPES];

/** A collected node with what the rules need to know about its surroundings. */
export interface Item {
  kind: ItemKind;
  /** Position in Syntax.items. */
  index: number;
  node: Node;
  start: number;
  end: number;
  /** Index (into Syntax.items) of the innermost enclosing def, lambda or class; -1 at module level. */
  scope: number;
  /** For def: `async def`. For with/for/forin: the `async` form. */
  isAsync: boolean;
  /** For def and class: its name. */
  name?: string;
  /** Set by parentType() on first use: asking a node for its parent walks down from the root, so only the few calls a rule cares about pay for it. */
  parentType?: string;
  /** For call: what it calls, memoized by resolveCallee. */
  callee?: Callee;
  /** For call: the callee as dotted-name parts read from the text (`a.b(` -> ["a", "b"]), or null when the callee is something else; set by collectSyntax. */
  calleeParts?: string[] | null;
}

export interface Syntax {
  items: Item[];
  /** Names bound inside each def/lambda scope (by item index): parameters, assignments, nested defs, imports. */
  localBindings: Map<number, Map<string, Binding>>;
  /** The text the tree was parsed from (one statement's text on the incremental path). */
  text: string;
  /** The tree has ERROR or MISSING nodes: error recovery may have swallowed tokens, so the text around a node says little. */
  hasError: boolean;
}

/** What a name is bound to in some scope. */
export type Binding =
  | { kind: "import"; qualified: string }
  | { kind: "def"; isAsync: boolean }
  | { kind: "class" }
  | { kind: "value"; fromCall?: string };

interface Kinds {
  /** Node type names to ask descendantsOfType for. */
  types: string[];
  /** Symbol id -> kind; the keyword tokens `lambda`, `await`, `yield` share the names but not the ids. */
  bySymbol: Array<ItemKind | undefined>;
}

const kindTables = new WeakMap<Language, Kinds>();

function kindsFor(language: Language): Kinds {
  let kinds = kindTables.get(language);
  if (!kinds) {
    const bySymbol: Array<ItemKind | undefined> = [];
    for (let id = 0; id < language.nodeTypeCount; id++) {
      const type = language.nodeTypeForId(id);
      if (type && language.nodeTypeIsNamed(id) && Object.prototype.hasOwnProperty.call(ITEM_TYPES, type)) bySymbol[id] = ITEM_TYPES[type as keyof typeof ITEM_TYPES];
    }
    kinds = { types: Object.keys(ITEM_TYPES), bySymbol };
    kindTables.set(language, kinds);
  }
  return kinds;
}

/** `text` is the source `root`'s tree was parsed from; node offsets index into it. */
export function collectSyntax(root: Node, language: Language, text: string): Syntax {
  const kinds = kindsFor(language);
  const nodes = root.descendantsOfType(kinds.types);
  const items: Item[] = [];
  const scopeStack: number[] = [];
  const localBindings = new Map<number, Map<string, Binding>>();
  // Error recovery can swallow tokens, so the text shortcuts for parameters and assignments are only taken on clean trees.
  const hasError = root.hasError;
  const simpleAssignments: Array<{ index: number; rightStart: number; binding: { kind: "value"; fromCall?: string } }> = [];
  for (const node of nodes) {
    if (!node) continue;
    const kind = kinds.bySymbol[node.typeId];
    if (kind === undefined) continue;
    const start = node.startIndex;
    while (scopeStack.length && items[scopeStack[scopeStack.length - 1]].end <= start) scopeStack.pop();
    const scope = scopeStack.length ? scopeStack[scopeStack.length - 1] : -1;
    const item: Item = { kind, index: items.length, node, start, end: start, scope, isAsync: false };
    if (kind === "def" || kind === "lambda" || kind === "class" || kind === "while" || kind === "with" || kind === "for") item.end = node.endIndex;
    // The node's first token is `async` exactly when its first child is the `async` keyword.
    if (kind === "def" || kind === "with" || kind === "for" || kind === "forin") item.isAsync = text.startsWith("async", start) && !isIdentifierCode(text.charCodeAt(start + 5));
    if (kind === "def" || kind === "class") item.name = definedName(text, start, kind) ?? node.childForFieldName("name")?.text;
    const index = items.push(item) - 1;
    if (kind === "call") {
      // Calls come outer first: one starting where the previous call starts is inside that call's callee (`f()()`, `f().g()`), which is then no dotted name.
      const previous = items[index - 1];
      if (previous?.kind === "call" && previous.start === start) previous.calleeParts = null;
      item.calleeParts = dottedCallee(text, start);
    } else if (kind === "def" || kind === "lambda" || kind === "class") {
      if (kind !== "class") localBindings.set(index, (!hasError && simpleParameters(text, start, kind)) || parameterBindings(node));
      if (item.name !== undefined) bindingsOf(localBindings, items, scope)?.set(item.name, kind === "def" ? { kind: "def", isAsync: item.isAsync } : { kind: "class" });
      scopeStack.push(index);
    } else if (kind === "assign") {
      const target = bindingsOf(localBindings, items, scope);
      const simple = target && !hasError ? simpleAssignment(text, start) : undefined;
      if (simple) {
        const binding: { kind: "value"; fromCall?: string } = { kind: "value" };
        target!.set(simple.name, binding);
        simpleAssignments.push({ index, rightStart: simple.rightStart, binding });
      } else if (target) bindAssignment(node, target);
    } else if (kind === "import" || kind === "importfrom") {
      const target = bindingsOf(localBindings, items, scope);
      if (target) for (const [name, qualified] of importedNames(node)) target.set(name, { kind: "import", qualified });
    }
  }
  // `x = f()`: the right side is a call exactly when the item right after the assignment is a call
  // spanning from where the right side starts to where the assignment ends.
  for (const { index, rightStart, binding } of simpleAssignments) {
    const call = items[index + 1];
    if (call?.kind !== "call" || call.start !== rightStart || call.node.endIndex !== items[index].node.endIndex) continue;
    const dotted = call.calleeParts?.join(".");
    binding.fromCall = dotted !== undefined && text.startsWith(dotted, rightStart) ? dotted : call.node.childForFieldName("function")?.text;
  }
  return { items, localBindings, text, hasError };
}

/** `name = ...` (one plain name, no annotation): the name and where the right side starts; undefined otherwise. */
function simpleAssignment(text: string, start: number): { name: string; rightStart: number } | undefined {
  const nameEnd = identifierEnd(text, start);
  if (nameEnd < 0) return undefined;
  const name = text.slice(start, nameEnd);
  if (NOT_IDENTIFIERS.has(name)) return undefined;
  const equals = skipBlanks(text, nameEnd);
  if (text.charCodeAt(equals) !== 61 /* = */ || text.charCodeAt(equals + 1) === 61) return undefined;
  const rightStart = skipBlanks(text, equals + 1);
  const code = text.charCodeAt(rightStart);
  // A line break, continuation or comment here leaves the right side's start to the tree.
  if (Number.isNaN(code) || code === 10 || code === 13 || code === 92 || code === 35) return undefined;
  return { name, rightStart };
}

/**
 * Parameters that are only plain names (`def f(self, url):`, `lambda a, b:`) read from the text;
 * undefined for defaults, annotations, stars, type parameters or line breaks.
 */
function simpleParameters(text: string, start: number, kind: "def" | "lambda"): Map<string, Binding> | undefined {
  let i: number;
  let close: number;
  if (kind === "def") {
    i = start;
    if (text.startsWith("async", i)) i = skipBlanks(text, i + 5);
    if (!text.startsWith("def", i)) return undefined;
    const nameEnd = identifierEnd(text, skipBlanks(text, i + 3));
    if (nameEnd < 0) return undefined;
    i = skipBlanks(text, nameEnd);
    if (text.charCodeAt(i) !== 40 /* ( */) return undefined;
    i = skipBlanks(text, i + 1);
    close = 41; /* ) */
  } else {
    if (!text.startsWith("lambda", start)) return undefined;
    i = skipBlanks(text, start + 6);
    close = 58; /* : */
  }
  const bindings = new Map<string, Binding>();
  if (text.charCodeAt(i) === close) return bindings;
  for (;;) {
    const end = identifierEnd(text, i);
    if (end < 0) return undefined;
    const name = text.slice(i, end);
    if (NOT_IDENTIFIERS.has(name)) return undefined;
    bindings.set(name, { kind: "value" });
    i = skipBlanks(text, end);
    let code = text.charCodeAt(i);
    if (code === close) return bindings;
    if (code !== 44 /* , */) return undefined;
    i = skipBlanks(text, i + 1);
    code = text.charCodeAt(i);
    if (code === close) return bindings;
  }
}

function isIdentifierStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

/** ASCII identifier characters, and anything non-ASCII: a Unicode letter may continue a name, so it never ends one. */
function isIdentifierCode(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57) || code >= 128;
}

function skipBlanks(text: string, i: number): number {
  let code = text.charCodeAt(i);
  while (code === 32 || code === 9) code = text.charCodeAt(++i);
  return i;
}

/** Scans one ASCII identifier at i; returns its end, or -1 when none (or when it runs into a non-ASCII character). */
function identifierEnd(text: string, i: number): number {
  if (!isIdentifierStart(text.charCodeAt(i))) return -1;
  let code = text.charCodeAt(++i);
  while (isIdentifierCode(code)) {
    if (code >= 128) return -1;
    code = text.charCodeAt(++i);
  }
  return i;
}

/** These are their own node types, not identifiers, so `None.x()` has no name to resolve. */
const NOT_IDENTIFIERS = new Set(["None", "True", "False"]);

/**
 * `a.b.c(` at the start of a call -> ["a", "b", "c"]. Undefined whenever the text is anything less
 * plain (subscripts, strings, line breaks, comments, non-ASCII names); the caller then asks the tree.
 */
export function dottedCallee(text: string, start: number): string[] | undefined {
  const parts: string[] = [];
  let i = start;
  for (;;) {
    const end = identifierEnd(text, i);
    if (end < 0) return undefined;
    parts.push(text.slice(i, end));
    i = skipBlanks(text, end);
    const code = text.charCodeAt(i);
    if (code === 40 /* ( */) return NOT_IDENTIFIERS.has(parts[0]) ? undefined : parts;
    if (code !== 46 /* . */) return undefined;
    i = skipBlanks(text, i + 1);
  }
}

/** `def name(`, `async def name[`, `class Name:` read from the text; undefined when it is laid out any other way. */
function definedName(text: string, start: number, kind: "def" | "class"): string | undefined {
  let i = start;
  if (kind === "def" && text.startsWith("async", i)) i = skipBlanks(text, i + 5);
  const keyword = kind === "def" ? "def" : "class";
  if (!text.startsWith(keyword, i)) return undefined;
  const nameStart = skipBlanks(text, i + keyword.length);
  if (nameStart === i + keyword.length) return undefined;
  const nameEnd = identifierEnd(text, nameStart);
  if (nameEnd < 0) return undefined;
  const next = text.charCodeAt(skipBlanks(text, nameEnd));
  return next === 40 /* ( */ || next === 91 /* [ */ || next === 58 /* : */ ? text.slice(nameStart, nameEnd) : undefined;
}

/** Bindings of the innermost function scope; class bodies and module level are not function scopes. */
function bindingsOf(all: Map<number, Map<string, Binding>>, items: Item[], scope: number): Map<string, Binding> | undefined {
  return scope >= 0 && items[scope].kind !== "class" ? all.get(scope) : undefined;
}

function parameterBindings(node: Node): Map<string, Binding> {
  const bindings = new Map<string, Binding>();
  const params = node.childForFieldName("parameters");
  if (!params) return bindings;
  for (const param of params.namedChildren) {
    if (!param) continue;
    const name = param.type === "identifier" ? param : (param.childForFieldName("name") ?? param.namedChildren.find((c) => c?.type === "identifier"));
    if (name?.type === "identifier") bindings.set(name.text, { kind: "value" });
  }
  return bindings;
}

/** `x = call()` remembers which call made x (for `client = httpx.Client()`, `loop = get_running_loop()`). */
export function bindAssignment(node: Node, bindings: Map<string, Binding>): void {
  const left = node.childForFieldName("left");
  const right = node.childForFieldName("right");
  if (!left) return;
  if (left.type === "identifier") {
    bindings.set(left.text, { kind: "value", fromCall: right?.type === "call" ? right.childForFieldName("function")?.text : undefined });
  } else if (left.type === "pattern_list" || left.type === "tuple_pattern") {
    for (const part of left.namedChildren) if (part?.type === "identifier") bindings.set(part.text, { kind: "value" });
  }
}

/** Local name -> qualified name for `import a.b as c`, `from a import b as c`. */
export function importedNames(node: Node): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  if (node.type === "import_statement") {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === "dotted_name") {
        const full = child.text.replace(/\s+/g, "");
        result.push([full.split(".")[0], full.split(".")[0]]);
      } else if (child.type === "aliased_import") {
        const name = child.childForFieldName("name")?.text.replace(/\s+/g, "");
        const alias = child.childForFieldName("alias")?.text;
        if (name && alias) result.push([alias, name]);
      }
    }
  } else {
    const moduleName = node.childForFieldName("module_name")?.text.replace(/\s+/g, "");
    if (!moduleName) return result;
    for (const child of node.childrenForFieldName("name")) {
      if (!child) continue;
      if (child.type === "dotted_name") result.push([child.text, `${moduleName}.${child.text}`]);
      else if (child.type === "aliased_import") {
        const name = child.childForFieldName("name")?.text;
        const alias = child.childForFieldName("alias")?.text;
        if (name && alias) result.push([alias, `${moduleName}.${name}`]);
      }
    }
  }
  return result;
}
