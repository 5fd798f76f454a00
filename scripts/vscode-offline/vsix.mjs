// Checks a packaged VSIX: size, exactly the files the extension needs, and a complete manifest.
import { readFileSync, statSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

export const MAX_VSIX_BYTES = 15 * 1024 * 1024;

/** Entries of a zip file (names and data), read from its central directory. */
export function readZip(file) {
  const buf = readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error("corrupt zip central directory");
    const method = buf.readUInt16LE(p + 10);
    const compSize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    entries.set(name, () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const raw = buf.subarray(start, start + compSize);
      return method === 8 ? inflateRawSync(raw) : raw;
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** What may ship, under extension/ (see .vscodeignore). */
const ALLOWED = [
  /^package\.json$/,
  /^package\.nls(\.[\w-]+)?\.json$/,
  /^(readme|changelog)\.md$/i,
  /^LICENSE(\.txt|\.md)?$/i,
  /^dist\/[\w.-]+\.js$/,
  /^dist\/pyodide\/[\w.-]+\.(js|mjs|wasm|zip|json|gz)$/,
  /^dist\/parser\/[\w.-]+\.wasm$/,
  /^dist\/python\/[\w/.-]+\.py$/,
  /^media\/[\w.-]+\.(png|css|js)$/,
  /^snippets\/[\w.-]+\.json$/,
  /^l10n\/[\w.-]+\.json$/,
];

const REQUIRED = [
  "package.json",
  "readme.md",
  "changelog.md",
  "LICENSE.txt",
  "dist/extension.js",
  "dist/embeddedWorker.js",
  "dist/webview.js",
  "dist/pyodide/pyodide.asm.wasm",
  "dist/pyodide/pyodide.asm.mjs",
  "dist/pyodide/python_stdlib.zip",
  "dist/pyodide/pyodide-lock.json",
  "dist/pyodide/snapshot.bin.gz",
  "dist/pyodide/snapshot.json",
  "dist/parser/tree-sitter.wasm",
  "dist/parser/tree-sitter-python.wasm",
  "media/icon.png",
];

/** Returns a list of problems (empty when the VSIX is good). */
export function checkVsix(file) {
  const problems = [];
  const size = statSync(file).size;
  if (size > MAX_VSIX_BYTES) problems.push(`VSIX is ${(size / 2 ** 20).toFixed(1)} MiB, over the 15 MiB limit`);
  const entries = readZip(file);
  const files = [...entries.keys()].filter((n) => n.startsWith("extension/")).map((n) => n.slice("extension/".length));
  const lower = new Set(files.map((f) => f.toLowerCase()));
  for (const f of files) if (!ALLOWED.some((re) => re.test(f))) problems.push(`unexpected file in VSIX: ${f}`);
  for (const f of REQUIRED) if (!lower.has(f.toLowerCase())) problems.push(`missing from VSIX: ${f}`);
  if (!files.some((f) => f.startsWith("dist/python/") && f.endsWith(".py"))) problems.push("missing from VSIX: the Python tracer (dist/python/**/*.py)");

  const manifest = JSON.parse(entries.get("extension/package.json")().toString("utf8"));
  const need = (cond, what) => cond || problems.push(`manifest: ${what}`);
  need(typeof manifest.displayName === "string" && manifest.displayName.length > 0, "displayName");
  need(typeof manifest.description === "string" && manifest.description.length > 20, "description");
  need(Array.isArray(manifest.categories) && manifest.categories.length > 0, "categories");
  need(Array.isArray(manifest.keywords) && manifest.keywords.length > 0 && manifest.keywords.length <= 30, "keywords (1..30)");
  need(manifest.icon && lower.has(manifest.icon.toLowerCase()), "icon that ships in the VSIX");
  need(manifest.repository?.url, "repository.url");
  need(manifest.license, "license");
  need(/^\^1\.100\.\d+$/.test(manifest.engines?.vscode ?? ""), `engines.vscode allowing 1.100 (is ${manifest.engines?.vscode})`);
  need(Array.isArray(manifest.activationEvents) && manifest.activationEvents.includes("onLanguage:python") && !manifest.activationEvents.includes("*"), "lazy activationEvents");
  need(manifest.main && lower.has(manifest.main.replace(/^\.\//, "").toLowerCase()), "main that ships in the VSIX");
  const commands = (manifest.contributes?.commands ?? []).map((c) => c.command);
  for (const id of ["asyncioTrace.traceRun", "asyncioTrace.stopTrace"]) need(commands.includes(id), `contributes.commands ${id}`);
  need(manifest.contributes?.configuration, "contributes.configuration");
  need(!manifest.dependencies || !files.some((f) => f.startsWith("node_modules/")), "no node_modules (bundled)");
  return { size, files, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { size, files, problems } = checkVsix(process.argv[2] ?? "asyncio-trace.vsix");
  console.log(`VSIX: ${files.length} files, ${(size / 2 ** 20).toFixed(2)} MiB`);
  for (const p of problems) console.log(`  PROBLEM ${p}`);
  process.exit(problems.length ? 1 : 0);
}
