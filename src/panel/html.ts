/**
 * The panel's HTML page, shared by the VS Code webview and the standalone export. vscode-free:
 * the caller supplies the script (a webview URI or the inlined bundle) and the CSP sources.
 */
import { EMBEDDED_PAYLOAD_ID, encodeEmbeddedPayload, type EmbeddedPayload } from "../shared/protocol";

export interface PageOptions {
  nonce: string;
  /** `webview.cspSource` in VS Code; omitted for the standalone page (everything is inline). */
  cspSource?: string;
  /** URI of dist/webview.js (VS Code) ... */
  scriptUri?: string;
  /** ... or the bundle's text, inlined (standalone). */
  inlineScript?: string;
  /** Extra CSS inlined in a nonce'd <style> (the standalone theme defaults). */
  inlineCss?: string;
  embedded: EmbeddedPayload;
  title: string;
  lang: string;
}

/** A fresh random nonce for the CSP (32 alphanumeric characters). */
export function makeNonce(random: (n: number) => Uint8Array = defaultRandom): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(random(32), (b) => chars[b % chars.length]).join("");
}

function defaultRandom(n: number): Uint8Array {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/** The Content-Security-Policy: nothing loads or runs unless it carries the nonce or comes from the extension. */
export function contentSecurityPolicy(nonce: string, cspSource?: string): string {
  const src = cspSource ? ` ${cspSource}` : "";
  return [
    "default-src 'none'",
    `img-src${src} data:`,
    `font-src${src} data:`,
    `style-src${src} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join("; ");
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function buildPage(o: PageOptions): string {
  const script = o.inlineScript !== undefined
    ? `<script nonce="${o.nonce}">${o.inlineScript.replace(/<\/(script)/gi, "<\\/$1")}</script>`
    : `<script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri ?? "")}"></script>`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(o.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(o.nonce, o.cspSource)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(o.title)}</title>
${o.inlineCss ? `<style nonce="${o.nonce}">${o.inlineCss}</style>` : ""}
</head>
<body>
<div id="app" role="main" aria-label="asyncio trace"></div>
<script type="application/json" id="${EMBEDDED_PAYLOAD_ID}" nonce="${o.nonce}">${encodeEmbeddedPayload(o.embedded)}</script>
${script}
</body>
</html>
`;
}
