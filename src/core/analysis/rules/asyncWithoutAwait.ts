/** An `async def` that never awaits runs start to finish in one step: it never lets other tasks in. */
import { parentType, type Rule } from "../context";

export const asyncWithoutAwait: Rule = {
  code: "async-without-await",
  check(analysis, report) {
    const items = analysis.syntax.items;
    for (const def of items) {
      if (def.kind !== "def" || !def.isAsync || def.scope !== -1) continue;
      // While a body is half-typed its awaits may be lost in the error recovery: say nothing about absences.
      if (def.node.hasError) continue;
      let suspends = false;
      for (let i = def.index + 1; i < items.length && items[i].start < def.end && !suspends; i++) {
        const inner = items[i];
        if (inner.scope !== def.index) continue;
        // An async generator's `yield` also hands control back to whoever iterates it.
        if (inner.kind === "await" || inner.kind === "yield" || ((inner.kind === "with" || inner.kind === "for" || inner.kind === "forin") && inner.isAsync)) suspends = true;
      }
      // Asked last: finding the decorator costs a walk from the root.
      if (suspends || parentType(analysis, def) === "decorated_definition") continue;
      const name = def.node.childForFieldName("name");
      report({ code: "async-without-await", node: name ?? def.node, subject: def.name });
    }
  },
};
