/** What the module level of a file defines: imports with their aliases, functions, classes and their methods. */
import { bindAssignment, importedNames, type Binding, type Item } from "./syntax";

export interface ModuleSymbols {
  bindings: Map<string, Binding>;
  /** Class name -> method name -> is it `async def`. */
  classMethods: Map<string, Map<string, boolean>>;
}

export function emptySymbols(): ModuleSymbols {
  return { bindings: new Map(), classMethods: new Map() };
}

/** Adds the module-level facts found among `items` (all of a file, or one top-level statement). */
export function addSymbols(symbols: ModuleSymbols, items: Item[], from = 0, to = items.length): void {
  for (let i = from; i < to; i++) {
    const item = items[i];
    if (item.scope === -1) {
      if (item.kind === "import" || item.kind === "importfrom") {
        for (const [name, qualified] of importedNames(item.node)) {
          // A def or assignment of the same name wins over the import: that is the shadowing case.
          if (!symbols.bindings.has(name) || symbols.bindings.get(name)!.kind === "import") symbols.bindings.set(name, { kind: "import", qualified });
        }
      } else if ((item.kind === "def" || item.kind === "class") && item.name) {
        symbols.bindings.set(item.name, item.kind === "def" ? { kind: "def", isAsync: item.isAsync } : { kind: "class" });
      } else if (item.kind === "assign") {
        bindAssignment(item.node, symbols.bindings);
      }
    } else if (item.kind === "def" && item.name && items[item.scope]?.kind === "class") {
      const className = items[item.scope].name ?? "";
      let methods = symbols.classMethods.get(className);
      if (!methods) symbols.classMethods.set(className, (methods = new Map()));
      methods.set(item.name, item.isAsync);
    }
  }
}

/** A string that changes whenever a statement's contribution to ModuleSymbols changes. */
export function symbolSignature(items: Item[], from = 0, to = items.length): string {
  const symbols = emptySymbols();
  addSymbols(symbols, items, from, to);
  const parts: string[] = [];
  for (const [name, binding] of symbols.bindings) parts.push(`${name}=${JSON.stringify(binding)}`);
  for (const [cls, methods] of symbols.classMethods) for (const [m, isAsync] of methods) parts.push(`${cls}.${m}=${isAsync}`);
  return parts.join(";");
}
