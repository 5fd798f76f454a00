/**
 * One tree-sitter query collects every node the rules look at, in document order, and a stack
 * pass gives each one its enclosing def/lambda/class. Running the query inside the wasm is several
 * times faster than walking every node from JavaScript.
 */
import type { Language, Node, Query } from "web-tree-sitter";

const QUERY_SOURCE = `
(function_definition) @def
(lambda) @lambda
(class_definition) @class
(call) @call
(await) @await
(with_statement) @with
(for_statement) @for
(for_in_clause) @forin
(while_statement) @while
(import_statement) @import
(import_from_statement) @importfrom
(assignment) @assign
(yield) @yield
(expression_statement (call) @parent.expression_statement)
(assignment right: (call) @parent.assignment)
(decorated_definition definition: (function_definition) @parent.decorated_definition)
`;

export type ItemKind = "def" | "lambda" | "class" | "call" | "await" | "with" | "for" | "forin" | "while" | "import" | "importfrom" | "assign" | "yield";

/** A captured node with what the rules need to know about its surroundings. */
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
  /** The parent's type for a call under an expression statement or assignment, and a decorated def (asking a node for its parent walks down from the root). */
  parentType?: string;
}

export interface Syntax {
  items: Item[];
  /** Names bound inside each def/lambda scope (by item index): parameters, assignments, nested defs, imports. */
  localBindings: Map<number, Map<string, Binding>>;
}

/** What a name is bound to in some scope. */
export type Binding =
  | { kind: "import"; qualified: string }
  | { kind: "def"; isAsync: boolean }
  | { kind: "class" }
  | { kind: "value"; fromCall?: string };

const queries = new WeakMap<Language, Query>();

function queryFor(language: Language): Query {
  let query = queries.get(language);
  if (!query) {
    // Required lazily for the same reason as in parser.ts.
    const { Query: QueryClass }: typeof import("web-tree-sitter") = require("web-tree-sitter");
    query = new QueryClass(language, QUERY_SOURCE);
    queries.set(language, query);
  }
  return query;
}

export function collectSyntax(root: Node, language: Language): Syntax {
  const captures = queryFor(language).captures(root);
  const items: Item[] = [];
  const scopeStack: number[] = [];
  const localBindings = new Map<number, Map<string, Binding>>();
  for (const capture of captures) {
    const node = capture.node;
    const start = node.startIndex;
    if (capture.name.startsWith("parent.")) {
      // The same call was captured as @call just before (same start; nested calls like f()() share it).
      for (let i = items.length - 1; i >= 0 && items[i].start === start; i--) {
        if ((items[i].kind === "call" || items[i].kind === "def") && items[i].node.id === node.id) items[i].parentType = capture.name.slice(7);
      }
      continue;
    }
    const kind = capture.name as ItemKind;
    while (scopeStack.length && items[scopeStack[scopeStack.length - 1]].end <= start) scopeStack.pop();
    const scope = scopeStack.length ? scopeStack[scopeStack.length - 1] : -1;
    const item: Item = { kind, index: items.length, node, start, end: start, scope, isAsync: false };
    if (kind === "def" || kind === "lambda" || kind === "class" || kind === "while" || kind === "with" || kind === "for") item.end = node.endIndex;
    if (kind === "def" || kind === "with" || kind === "for" || kind === "forin") item.isAsync = hasAsyncKeyword(node);
    if (kind === "def" || kind === "class") item.name = node.childForFieldName("name")?.text;
    const index = items.push(item) - 1;
    if (kind === "def" || kind === "lambda" || kind === "class") {
      if (kind !== "class") localBindings.set(index, parameterBindings(node));
      if (item.name !== undefined) bindingsOf(localBindings, items, scope)?.set(item.name, kind === "def" ? { kind: "def", isAsync: item.isAsync } : { kind: "class" });
      scopeStack.push(index);
    } else if (kind === "assign") {
      const target = bindingsOf(localBindings, items, scope);
      if (target) bindAssignment(node, target);
    } else if (kind === "import" || kind === "importfrom") {
      const target = bindingsOf(localBindings, items, scope);
      if (target) for (const [name, qualified] of importedNames(node)) target.set(name, { kind: "import", qualified });
    }
  }
  return { items, localBindings };
}

/** Bindings of the innermost function scope; class bodies and module level are not function scopes. */
function bindingsOf(all: Map<number, Map<string, Binding>>, items: Item[], scope: number): Map<string, Binding> | undefined {
  return scope >= 0 && items[scope].kind !== "class" ? all.get(scope) : undefined;
}

export function hasAsyncKeyword(node: Node): boolean {
  const first = node.firstChild;
  if (first?.type === "async") return true;
  // `async for` in a comprehension: the keyword precedes `for` inside the for_in_clause.
  return node.type === "for_in_clause" && node.child(0)?.type === "async";
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
