// Loads the standalone HTML of real traces into Debian's chromium (driven by playwright-core).
// The page is exactly what `asyncio-trace trace FILE --html OUT.html` writes: the built webview
// bundle (dist/webview.js, from `node esbuild.mjs`) with the trace inlined.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { computeFindings } from "../../src/core/findings";
import type { Trace } from "../../src/core/trace/schema";
import { buildStandaloneHtml } from "../../src/panel/standaloneHtml";

// Browser globals used inside page.evaluate callbacks (this file compiles without the DOM lib).
declare const window: any, document: any, requestAnimationFrame: any, Image: any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const REPO = path.resolve(__dirname, "..", "..", "..");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function loadTrace(name: string): Trace {
  return JSON.parse(readFileSync(path.join(REPO, "test", "fixtures", "traces", `${name}.json`), "utf8")) as Trace;
}

export function webviewBundle(): string {
  const p = path.join(REPO, "dist", "webview.js");
  if (!existsSync(p)) throw new Error("dist/webview.js is missing: run `node esbuild.mjs` first");
  return readFileSync(p, "utf8");
}

export class Harness {
  /** One chromium with a fresh profile; each test opens its own pages in it. */
  browser!: BrowserContext;
  private userDataDir = "";
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), "asyncio-trace-browser-"));
  private pages: Page[] = [];

  async start(): Promise<void> {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    this.userDataDir = mkdtempSync(path.join(os.tmpdir(), "asyncio-trace-chromium-"));
    this.browser = await chromium.launchPersistentContext(this.userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }

  /** Writes the standalone page for a trace fixture and returns its file:// URL. */
  page(name: string, trace: Trace = loadTrace(name), locale = "en"): string {
    // Golden traces keep the absolute path of the machine that made them; find the file in this checkout.
    const source = path.join(REPO, trace.file.replace(/^.*?[\\/](examples|test[\\/]fixtures)[\\/]/, "$1/"));
    const sources = existsSync(source) ? { [trace.file]: readFileSync(source, "utf8") } : {};
    const html = buildStandaloneHtml(trace, computeFindings(trace), webviewBundle(), undefined, { sources, locale });
    const file = path.join(this.dir, `${name}.${locale}.html`);
    writeFileSync(file, html);
    return `file://${file}`;
  }

  /** Opens a page and collects page errors and CSP violations. */
  async open(url: string, opts: { colorScheme?: "dark" | "light"; width?: number; height?: number } = {}): Promise<{ page: Page; errors: string[] }> {
    const page = await this.browser.newPage();
    this.pages.push(page);
    await page.setViewportSize({ width: opts.width ?? 1200, height: opts.height ?? 720 });
    await page.emulateMedia({ colorScheme: opts.colorScheme ?? "dark" });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e: { violatedDirective: string; blockedURI: string }) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __asyncioTrace?: unknown }).__asyncioTrace !== undefined);
    // Two frames: layout, then the canvas draw.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    return { page, errors };
  }

  async stop(): Promise<void> {
    for (const p of this.pages) await p.close().catch(() => undefined);
    await this.browser?.close();
    rmSync(this.dir, { recursive: true, force: true });
    if (this.userDataDir) rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

export interface DrawnBox {
  x: number;
  y: number;
  w: number;
  h: number;
  kind: string;
  label: string;
  seq: number;
  task: number | null;
  lane: number;
}

export function boxes(page: Page): Promise<DrawnBox[]> {
  return page.evaluate(() => (window as unknown as { __asyncioTrace: { hitBoxes(): DrawnBox[] } }).__asyncioTrace.hitBoxes());
}

export function messages(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __asyncioTraceMessages?: unknown[] }).__asyncioTraceMessages ?? [])));
}

export interface Snapshot {
  lanes: { id: string; title: string; subtitle: string }[];
  totalLabel: string;
  window: { t0: number; t1: number };
  step: number;
  stepCount: number;
  selectedSeq: number | null;
  view: string;
}

export function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() => (window as unknown as { __asyncioTrace: { snapshot(): Snapshot } }).__asyncioTrace.snapshot());
}

/** RGBA of pixels of a PNG (decoded by the browser itself, in a blank page without a CSP). */
export async function pngPixels(browser: BrowserContext, png: Buffer, points: [number, number][]): Promise<{ distinctColours: number; pixels: number[][]; width: number; height: number }> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ b64, points }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement("canvas");
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext("2d")!;
        ctx.drawImage(img, 0, 0);
        const data = ctx.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        const pixels = points.map(([x, y]) => {
          const i = (Math.round(y) * c.width + Math.round(x)) * 4;
          return [data[i], data[i + 1], data[i + 2], data[i + 3]];
        });
        return { distinctColours: seen.size, pixels, width: c.width, height: c.height };
      },
      { b64: png.toString("base64"), points },
    );
  } finally {
    await page.close();
  }
}

export function screenshotDir(): string {
  const dir = path.join(REPO, "media", "screenshots");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Relative luminance difference, enough to tell "a bar is drawn here" from background. */
export function colourDistance(a: number[], b: number[]): number {
  return Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
}
