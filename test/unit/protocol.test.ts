import * as assert from "node:assert/strict";
import { computeFindings } from "../../src/core/findings";
import { buildPage, contentSecurityPolicy, makeNonce } from "../../src/panel/html";
import { buildStandaloneHtml } from "../../src/panel/standaloneHtml";
import {
  EMBEDDED_PAYLOAD_ID,
  decodeEmbeddedPayload,
  encodeEmbeddedPayload,
  isFromWebview,
  isToWebview,
  type FromWebview,
  type ToWebview,
} from "../../src/shared/protocol";
import { loadTrace } from "./traceFixtures";

/** What postMessage does to a message: structured clone, which for plain data is a JSON round trip. */
const roundTrip = <T>(m: T): unknown => JSON.parse(JSON.stringify(m));

describe("host ⇄ webview protocol", () => {
  const trace = loadTrace("gather_two_downloads");
  const findings = computeFindings(trace);

  it("round-trips every host → webview message", () => {
    const messages: ToWebview[] = [
      { type: "didLoadTrace", payload: { trace, findings, runId: 3, sources: { [trace.file]: "print(1)\n" } } },
      { type: "didChangeRunStatus", status: { running: true, file: trace.file, message: "Loading…" } },
      { type: "didRequestStep", step: 4 },
      { type: "didRequestFinding", index: 0 },
      { type: "didRequestClick", seq: 6 },
      { type: "snapshotRequest", id: 9 },
    ];
    for (const m of messages) {
      const back = roundTrip(m);
      assert.ok(isToWebview(back), m.type);
      assert.deepEqual(back, m);
    }
  });

  it("round-trips every webview → host message", () => {
    const loc = { file: trace.file, line: 11 };
    const messages: FromWebview[] = [
      { type: "ready" },
      { type: "revealLocation", location: loc, focusEditor: true },
      { type: "highlightTask", task: 2, lines: [loc] },
      { type: "highlightTask", task: null, lines: [] },
      { type: "stepChanged", step: 4, location: loc, text: "Task-2 · await asyncio.sleep(3) · t=0.0 s" },
      { type: "stepChanged", step: -1, location: null, text: "" },
      { type: "rerun" },
      { type: "stop" },
      { type: "export", format: "html" },
      { type: "export", format: null },
      {
        type: "snapshotReply",
        id: 9,
        snapshot: { file: trace.file, runId: 1, view: "timeline", lanes: [], totalLabel: "", window: null, step: -1, stepCount: 11, selectedSeq: null, findings: 0 },
      },
    ];
    for (const m of messages) {
      const back = roundTrip(m);
      assert.ok(isFromWebview(back), m.type);
      assert.deepEqual(back, m);
    }
  });

  it("rejects malformed messages from the webview", () => {
    for (const bad of [
      null,
      "ready",
      { type: "nope" },
      { type: "revealLocation", location: { file: "/x.py", line: 0 }, focusEditor: true },
      { type: "revealLocation", location: { file: 3, line: 2 }, focusEditor: true },
      { type: "revealLocation", location: { file: "/x.py", line: 2 } },
      { type: "highlightTask", task: "2", lines: [] },
      { type: "export", format: "pdf" },
      { type: "stepChanged", step: 1, location: null },
    ]) {
      assert.equal(isFromWebview(bad), false, JSON.stringify(bad));
    }
    assert.equal(isToWebview({ type: "didLoadTrace", payload: { trace: null, findings: [], runId: 1 } }), false);
    assert.equal(isToWebview({ type: "revealLocation" }), false);
  });

  it("embeds the first payload so that program output cannot break out of the page", () => {
    const evil = { ...trace, events: [...trace.events, { kind: "output" as const, stream: "stdout" as const, text: "</script><script>alert(1)</script>\u2028", task: null, seq: 999, t: 3, wallMs: 1 }] };
    const text = encodeEmbeddedPayload({ payload: { trace: evil, findings, runId: 1 }, standalone: true, locale: "en" });
    assert.ok(!/[<>&\u2028]/.test(text));
    const back = decodeEmbeddedPayload(text);
    assert.deepEqual(back.payload?.trace, evil);
    assert.throws(() => decodeEmbeddedPayload('{"payload": 3}'));
  });

  it("builds a page whose CSP allows only nonce'd scripts and styles", () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(nonce, makeNonce());
    const html = buildPage({
      nonce,
      cspSource: "https://file+.vscode-resource.vscode-cdn.net",
      scriptUri: "https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js",
      embedded: { payload: null, standalone: false, locale: "en" },
      title: "t",
      lang: "en",
    });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    assert.equal(csp, contentSecurityPolicy(nonce, "https://file+.vscode-resource.vscode-cdn.net"));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'$|script-src 'nonce-${nonce}';`));
    assert.ok(!csp.includes("unsafe"));
    const scripts = html.match(/<script[^>]*>/g)!;
    assert.ok(scripts.every((s) => s.includes(`nonce="${nonce}"`)));
  });

  it("writes a standalone page with the bundle and trace inlined and no network URLs", () => {
    const bundle = "console.log('</script> inside the bundle')";
    const html = buildStandaloneHtml(trace, findings, bundle, undefined, { nonce: "N".repeat(32), sources: {} });
    assert.ok(!/(src|href)=["']?https?:/i.test(html));
    assert.ok(html.includes("console.log('<\\/script> inside the bundle')"));
    const json = new RegExp(`<script type="application/json" id="${EMBEDDED_PAYLOAD_ID}"[^>]*>([^<]*)</script>`).exec(html)![1];
    const embedded = decodeEmbeddedPayload(json);
    assert.equal(embedded.standalone, true);
    assert.deepEqual(embedded.payload?.trace, trace);
    assert.equal(embedded.payload?.findings.length, findings.length);
    assert.match(html, /--vscode-editor-background/);
  });
});
