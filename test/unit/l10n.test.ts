/** Every English text has its 繁體中文 counterpart: l10n bundles, package.nls, and the core's rule and hover tables. */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RULE_CODES } from "../../src/core/analysis/types";
import { HOVER_ENTRIES, hoverMarkdown } from "../../src/core/explain/hoverTexts";
import { diagnosticHoverMarkdown, FIX_TITLES, languageFor, ruleText } from "../../src/core/explain/ruleTexts";

const ROOT = join(__dirname, "..", "..", "..");
const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8")) as Record<string, string>;
const HAN = /[\u4e00-\u9fff]/;

function assertComplete(enPath: string, zhPath: string): void {
  const en = readJson(enPath);
  const zh = readJson(zhPath);
  const missing = Object.keys(en).filter((k) => typeof zh[k] !== "string" || !HAN.test(zh[k]));
  assert.deepEqual(missing, [], `${zhPath} lacks Traditional Chinese for these keys`);
  assert.deepEqual(Object.keys(zh).filter((k) => !(k in en)), [], `${zhPath} has keys that ${enPath} does not`);
}

describe("localization", () => {
  it("l10n/bundle.l10n.zh-tw.json translates every key of l10n/bundle.l10n.json", () => {
    assertComplete("l10n/bundle.l10n.json", "l10n/bundle.l10n.zh-tw.json");
  });

  it("package.nls.zh-tw.json translates every key of package.nls.json", () => {
    assertComplete("package.nls.json", "package.nls.zh-tw.json");
  });

  it("every %key% used in package.json is defined in package.nls.json", () => {
    const manifest = readFileSync(join(ROOT, "package.json"), "utf8");
    const nls = readJson("package.nls.json");
    const used = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(used.length > 0);
    assert.deepEqual(used.filter((k) => !(k in nls)), []);
  });

  it("the code action titles in the l10n bundles match the core's fix title table", () => {
    const en = readJson("l10n/bundle.l10n.json");
    const zh = readJson("l10n/bundle.l10n.zh-tw.json");
    for (const [kind, title] of Object.entries(FIX_TITLES.en)) {
      assert.equal(en[title], title, `${kind} missing from bundle.l10n.json`);
      assert.equal(zh[title], FIX_TITLES["zh-tw"][kind as keyof typeof FIX_TITLES.en]);
    }
  });

  it("every rule has a message, explanation and before/after in both languages", () => {
    for (const code of RULE_CODES) {
      for (const lang of ["en", "zh-tw"] as const) {
        const text = ruleText(code, lang);
        assert.ok(text.message && text.why && text.before && text.after, `${code} ${lang}`);
        assert.match(diagnosticHoverMarkdown(code, lang), new RegExp(`#${code}\\)`));
      }
      assert.match(ruleText(code, "zh-tw").message, HAN);
    }
  });

  it("hover entries cover the keywords and APIs, in both languages, with docs links", () => {
    const required = ["async", "await", "run", "gather", "create_task", "sleep", "wait_for", "wait", "as_completed", "timeout", "TaskGroup", "Task", "Future", "Queue", "Lock", "Event", "Semaphore", "shield", "to_thread", "get_running_loop"];
    for (const name of required) {
      assert.ok(HOVER_ENTRIES[name], name);
      assert.match(hoverMarkdown(name, "zh-tw")!, HAN);
      assert.match(hoverMarkdown(name, "en")!, /https:\/\/docs\.python\.org\//);
    }
    assert.equal(hoverMarkdown("toString", "en"), undefined);
  });

  it("chooses zh-tw only for Traditional Chinese display languages", () => {
    assert.equal(languageFor("zh-tw"), "zh-tw");
    assert.equal(languageFor("zh-TW"), "zh-tw");
    assert.equal(languageFor("zh-cn"), "en");
    assert.equal(languageFor("en"), "en");
    assert.equal(languageFor(undefined), "en");
  });
});
