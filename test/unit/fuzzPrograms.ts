// Seeded mutation of real fixture programs, shared by the fuzz tests (lint and engines).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const REPO = join(__dirname, "..", "..", "..");

/** mulberry32: tiny, seeded, and good enough to pick mutations reproducibly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every .py under the fixture folders and examples/, sorted for a stable corpus. */
export function seedPrograms(): { name: string; text: string }[] {
  const dirs = ["test/fixtures/programs", "test/fixtures/findings", "test/fixtures/lint", "examples"];
  const out: { name: string; text: string }[] = [];
  for (const d of dirs) {
    let files: string[] = [];
    try {
      files = readdirSync(join(REPO, d)).filter((f) => f.endsWith(".py")).sort();
    } catch {
      continue;
    }
    for (const f of files) out.push({ name: `${d}/${f}`, text: readFileSync(join(REPO, d, f), "utf8") });
  }
  return out;
}

const TOKENS = ["await ", "async ", "(", ")", ":", "yield ", "lambda: ", "asyncio.sleep(0)", "\t", "    ", "def ", "'", '"""', "\\", "\0", "🙂", "return ", "raise ", "*", "**", "[", "}", "asyncio.gather(", "while True: pass\n", "import asyncio\n", "async with ", "global x\n", "del ", "nonlocal q\n", "\r", "\u2028"];

export type Mutation = "delete-line" | "swap-awaits" | "drop-await" | "random-token" | "duplicate-line";

/** Applies 1–3 mutations. Returns the new text and what was done (for failure messages). */
export function mutate(text: string, random: () => number): { text: string; did: Mutation[] } {
  let lines = text.split("\n");
  const did: Mutation[] = [];
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const n = 1 + Math.floor(random() * 3);
  for (let i = 0; i < n; i++) {
    const kind = pick<Mutation>(["delete-line", "swap-awaits", "drop-await", "random-token", "duplicate-line"]);
    did.push(kind);
    const at = Math.floor(random() * Math.max(1, lines.length));
    if (kind === "delete-line") {
      lines.splice(at, 1);
    } else if (kind === "duplicate-line") {
      lines.splice(at, 0, lines[at] ?? "");
    } else if (kind === "swap-awaits" || kind === "drop-await") {
      const awaits = lines.map((l, j) => (/\bawait\b/.test(l) ? j : -1)).filter((j) => j >= 0);
      if (awaits.length === 0) continue;
      if (kind === "drop-await") {
        const j = pick(awaits);
        lines[j] = lines[j].replace(/\bawait\s+/, "");
      } else {
        const a = pick(awaits);
        const b = pick(awaits);
        const ea = lines[a].slice(lines[a].search(/\bawait\b/));
        const eb = lines[b].slice(lines[b].search(/\bawait\b/));
        lines[a] = lines[a].slice(0, lines[a].search(/\bawait\b/)) + eb;
        lines[b] = lines[b].slice(0, lines[b].search(/\bawait\b/)) + ea;
      }
    } else {
      const line = lines[at] ?? "";
      const col = Math.floor(random() * (line.length + 1));
      lines[at] = line.slice(0, col) + pick(TOKENS) + line.slice(col);
    }
    lines = lines.join("\n").split("\n");
  }
  return { text: lines.join("\n"), did };
}

/** `count` mutated programs, deterministic for a seed. */
export function mutatedCorpus(count: number, seed: number): { name: string; text: string; did: Mutation[] }[] {
  const seeds = seedPrograms();
  if (seeds.length === 0) throw new Error("no fixture programs found to mutate");
  const random = rng(seed);
  const out: { name: string; text: string; did: Mutation[] }[] = [];
  for (let i = 0; i < count; i++) {
    const s = seeds[Math.floor(random() * seeds.length)];
    const m = mutate(s.text, random);
    out.push({ name: `#${i} ${s.name}`, text: m.text, did: m.did });
  }
  return out;
}
