/** Quick fixes as pure text edits, so they are tested in plain Node and reused by the CLI. */
import type { Node } from "web-tree-sitter";
import { lookup, rangeOf, type Analysis } from "../context";
import type { Item } from "../syntax";
import type { Fix, TextEdit } from "../types";
import { asyncioImport, freeModuleName, importInsertLine, indentOf, rangeAt } from "./textEdits";

function argumentText(call: Node): string {
  const args = call.childForFieldName("arguments");
  return args ? args.text.slice(1, -1).trim() : "";
}

export function addAwait(analysis: Analysis, call: Node): Fix {
  const start = rangeOf(analysis, call).start;
  return { kind: "addAwait", preferred: true, edits: [{ range: { start, end: start }, newText: "await " }] };
}

/** `main()` at module level becomes `asyncio.run(main())`. */
export function wrapInAsyncioRun(analysis: Analysis, call: Node): Fix {
  const asyncio = asyncioImport(analysis);
  return {
    kind: "wrapInAsyncioRun",
    preferred: true,
    edits: [...asyncio.edits, { range: rangeOf(analysis, call), newText: `${asyncio.name}.run(${call.text})` }],
  };
}

/** `time.sleep(x)` (or `await time.sleep(x)`) becomes `await asyncio.sleep(x)`. */
export function useAsyncioSleep(analysis: Analysis, call: Node): Fix {
  const asyncio = asyncioImport(analysis);
  const awaited = call.parent?.type === "await" ? call.parent : call;
  return {
    kind: "useAsyncioSleep",
    preferred: true,
    edits: [...asyncio.edits, { range: rangeOf(analysis, awaited), newText: `await ${asyncio.name}.sleep(${argumentText(call)})` }],
  };
}

export function removeAwait(analysis: Analysis, awaitNode: Node, preferred: boolean): Fix {
  const value = awaitNode.namedChild(0);
  return { kind: "removeAwait", preferred, edits: [{ range: rangeOf(analysis, awaitNode), newText: value?.text ?? "" }] };
}

/** `asyncio.run(x)` inside running code becomes `await x`. */
export function replaceRunWithAwait(analysis: Analysis, call: Node): Fix {
  const first = call.childForFieldName("arguments")?.namedChild(0);
  return { kind: "replaceRunWithAwait", preferred: true, edits: [{ range: rangeOf(analysis, call), newText: `await ${first?.text ?? ""}` }] };
}

/** A plain def that awaits becomes `async def`; its callers then need to await it, so not preferred. */
export function makeDefAsync(analysis: Analysis, def: Node): Fix {
  const start = rangeOf(analysis, def).start;
  return { kind: "makeDefAsync", preferred: false, edits: [{ range: { start, end: start }, newText: "async " }] };
}

/** The top-level statement holding the await moves into `async def main()`, run by `asyncio.run(main())`. */
export function wrapInAsyncMain(analysis: Analysis, inner: Node): Fix {
  let statement = inner;
  while (statement.parent && statement.parent.type !== "module") statement = statement.parent;
  const range = rangeOf(analysis, statement);
  const lines = analysis.lines();
  const name = freeModuleName(analysis, "main");
  const asyncio = asyncioImport(analysis);
  const body = lines
    .slice(range.start.line, range.end.line + 1)
    .map((line) => (line.trim() ? `    ${line}` : line))
    .join("\n");
  let replacement = `async def ${name}():\n${body}\n\n\n${asyncio.name}.run(${name}())`;
  const edits: TextEdit[] = [];
  // The import would land where the statement starts: put it in the same edit so the two do not overlap.
  if (asyncio.edits.length && importInsertLine(analysis) === range.start.line) replacement = `import asyncio\n\n\n${replacement}`;
  else edits.push(...asyncio.edits);
  const endCharacter = lines[range.end.line]?.length ?? range.end.character;
  edits.push({ range: rangeAt(range.start.line, 0, range.end.line, endCharacter), newText: replacement });
  return { kind: "wrapInAsyncMain", preferred: false, edits };
}

/** The pattern the asyncio docs recommend: keep each task in a module-level set until it is done. */
export function keepTaskReference(analysis: Analysis, call: Item): Fix {
  const range = rangeOf(analysis, call.node);
  const indent = indentOf(analysis.lines()[range.start.line] ?? "");
  const taskName = lookup(analysis, "task", call.scope) ? "background_task" : "task";
  const edits: TextEdit[] = [];
  if (!analysis.symbols.bindings.has("background_tasks")) {
    const line = importInsertLine(analysis);
    edits.push({ range: rangeAt(line, 0), newText: line > 0 ? "\nbackground_tasks = set()\n" : "background_tasks = set()\n\n" });
  }
  edits.push({
    range,
    newText: `${taskName} = ${call.node.text}\n${indent}background_tasks.add(${taskName})\n${indent}${taskName}.add_done_callback(background_tasks.discard)`,
  });
  return { kind: "keepTaskReference", preferred: true, edits };
}

/** `requests.get(url)` becomes `await asyncio.to_thread(requests.get, url)`: the call moves off the loop's thread. */
export function runInThread(analysis: Analysis, call: Node): Fix {
  const asyncio = asyncioImport(analysis);
  const fn = call.childForFieldName("function")?.text ?? "";
  const args = argumentText(call);
  const awaited = call.parent?.type === "await" ? call.parent : call;
  return {
    kind: "runInThread",
    // Thread-safety of the moved call is the author's to judge.
    preferred: false,
    edits: [...asyncio.edits, { range: rangeOf(analysis, awaited), newText: `await ${asyncio.name}.to_thread(${fn}${args ? `, ${args}` : ""})` }],
  };
}
