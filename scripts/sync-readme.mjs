// README includes docs/*.md between `<!-- include docs/X.md -->` and `<!-- end include -->`
// markers, so the rule and finding references have one source (docs/) and README never drifts
// from it. Run after editing docs/: `node scripts/sync-readme.mjs` (`--check` only reports).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const INCLUDE = /(<!-- include (docs\/[\w.-]+\.md) -->\n)[\s\S]*?(<!-- end include -->)/g;

export function syncReadme(readme, readDoc) {
  return readme.replace(INCLUDE, (_, open, docPath, close) => `${open}${readDoc(docPath).trimEnd()}\n${close}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readmePath = join(root, "README.md");
  const before = readFileSync(readmePath, "utf8");
  const after = syncReadme(before, (p) => readFileSync(join(root, p), "utf8"));
  if (process.argv.includes("--check")) {
    if (before !== after) {
      console.error("README.md is out of date with docs/: run node scripts/sync-readme.mjs");
      process.exit(1);
    }
  } else if (before !== after) {
    writeFileSync(readmePath, after);
    console.log("README.md updated from docs/");
  }
}
