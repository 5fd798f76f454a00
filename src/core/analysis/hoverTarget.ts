/** Which keyword or asyncio API is under the cursor, for the hover explanations. */
import type { Node } from "web-tree-sitter";
import type { PythonParser } from "./parser";
import { addSymbols, emptySymbols } from "./symbols";
import { collectSyntax } from "./syntax";

export interface HoverTarget {
  /** `async`, `await`, or the asyncio API's name (`gather`, `TaskGroup`...). */
  name: string;
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export function hoverTargetAt(python: PythonParser, text: string, line: number, character: number): HoverTarget | undefined {
  const tree = python.parser.parse(text);
  if (!tree) return undefined;
  try {
    const node = tree.rootNode.descendantForPosition({ row: line, column: character });
    if (!node) return undefined;
    const span = (n: Node, name: string): HoverTarget => ({
      name,
      start: { line: n.startPosition.row, character: n.startPosition.column },
      end: { line: n.endPosition.row, character: n.endPosition.column },
    });
    if (node.type === "async" || node.type === "await") return span(node, node.type);
    if (node.type !== "identifier") return undefined;
    const symbols = emptySymbols();
    addSymbols(symbols, collectSyntax(tree.rootNode, python.language, text).items);
    const parent = node.parent;
    // `asyncio.gather` (or `aio.gather`): the attribute part, with its object imported as asyncio.
    if (parent?.type === "attribute" && parent.childForFieldName("attribute")?.startIndex === node.startIndex) {
      const object = parent.childForFieldName("object");
      const binding = object?.type === "identifier" ? symbols.bindings.get(object.text) : undefined;
      return binding?.kind === "import" && binding.qualified === "asyncio" ? span(node, node.text) : undefined;
    }
    // `gather` after `from asyncio import gather` (possibly under an alias).
    const binding = symbols.bindings.get(node.text);
    if (binding?.kind === "import" && binding.qualified.startsWith("asyncio.")) return span(node, binding.qualified.slice("asyncio.".length));
    return undefined;
  } finally {
    tree.delete();
  }
}
