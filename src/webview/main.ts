// The panel's browser side: reads the embedded first payload, builds the timeline, sequence,
// output and findings views, runs playback, and talks to the host only through
// src/shared/protocol.ts. The same bundle is the standalone HTML export.
import "@vscode-elements/elements/dist/vscode-button/index.js";
import "@vscode-elements/elements/dist/vscode-tabs/index.js";
import "@vscode-elements/elements/dist/vscode-tab-header/index.js";
import "@vscode-elements/elements/dist/vscode-tab-panel/index.js";
import "@vscode-elements/elements/dist/vscode-progress-bar/index.js";
import css from "./styles.css";
import type { Finding } from "../core/findings/types";
import type { SourceLocation, Trace } from "../core/trace/schema";
import { buildSequence, stepDecorationText, type SequenceModel } from "../core/trace/sequenceModel";
import { buildTimeline, formatSeconds, formatTime, taskLines, type Segment, type TimelineModel } from "../core/trace/timelineModel";
import {
  DEFAULT_VIEW_STATE,
  EMBEDDED_PAYLOAD_ID,
  decodeEmbeddedPayload,
  isToWebview,
  type PanelSnapshot,
  type PanelView,
  type PanelViewState,
  type RunStatusInfo,
  type ToWebview,
  type TracePayload,
} from "../shared/protocol";
import { SequenceView } from "./sequenceView";
import { onThemeChange } from "./theme";
import { TimelineView, button, describe, el } from "./timelineView";
import { connectHost } from "./vscodeApi";

const VIEWS: PanelView[] = ["timeline", "sequence", "output", "findings"];
const PLAY_INTERVAL_MS = 900;

function injectStyles(): void {
  const style = document.createElement("style");
  // Under the panel's CSP only elements carrying the page's nonce may add styles.
  const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce || document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce;
  if (nonce) style.nonce = nonce;
  style.textContent = css;
  document.head.append(style);
}

class App {
  private readonly host = connectHost();
  private payload: TracePayload | null = null;
  private timeline: TimelineModel | null = null;
  private sequence: SequenceModel | null = null;
  private state: PanelViewState;
  private locale: "en" | "zh-tw" = "en";
  private playTimer = 0;

  private readonly titleEl = el("h1", "title");
  private readonly statusEl = el("span", "status-badge");
  private readonly summaryEl = el("div", "summary");
  private readonly bannerEl = el("div", "banner");
  private readonly runningEl = el("div", "running");
  private readonly stepLabel = el("span", "step-label");
  private readonly playButton: HTMLElement;
  private readonly tabs: HTMLElement & { selectedIndex: number };
  private readonly outputEl = el("div", "output");
  private readonly findingsEl = el("div", "findings");
  private readonly tooltip = el("div", "tooltip");
  private readonly findingsHeader: HTMLElement;
  private readonly timelineView: TimelineView;
  private readonly sequenceView: SequenceView;

  constructor(root: HTMLElement, standalone: boolean) {
    this.state = { ...DEFAULT_VIEW_STATE, ...(this.host.getState() ?? {}) };
    this.timelineView = new TimelineView({
      onSelect: (s) => this.selectSegment(s, true),
      onSelectTask: (task) => this.selectTask(task),
      onHover: (s, x, y) => this.showTooltip(s, x, y),
      onWindowChange: (win) => this.saveState({ window: win }),
    });
    this.sequenceView = new SequenceView({ onChoose: (i) => this.chooseEntry(i) });

    const header = el("header", "header");
    const titleRow = el("div", "title-row");
    titleRow.append(this.titleEl, this.statusEl);
    const actions = el("div", "actions");
    actions.setAttribute("role", "toolbar");
    actions.setAttribute("aria-label", "Run");
    if (!standalone) {
      actions.append(
        button("rerun", "Re-run the program (keeps zoom and selection)", "Re-run", () => this.host.post({ type: "rerun" })),
        button("stop", "Stop the running trace", "Stop", () => this.host.post({ type: "stop" })),
        button("export", "Export the trace…", "Export…", () => this.host.post({ type: "export", format: null })),
      );
    }
    titleRow.append(actions);
    header.append(titleRow, this.summaryEl, this.runningEl, this.bannerEl);

    const playback = el("div", "playback");
    playback.setAttribute("role", "toolbar");
    playback.setAttribute("aria-label", "Playback");
    this.playButton = button("play", "Play through the steps (K)", "▶ Play", () => this.togglePlay());
    playback.append(
      button("first", "First step (Home)", "|◀ First", () => this.goToStep(0)),
      button("prev", "Previous step (P)", "◀ Prev", () => this.goToStep(this.state.step - 1)),
      this.playButton,
      button("next", "Next step (N)", "Next ▶", () => this.goToStep(this.state.step + 1)),
      this.stepLabel,
    );
    this.stepLabel.setAttribute("aria-live", "polite");

    this.tabs = document.createElement("vscode-tabs") as unknown as HTMLElement & { selectedIndex: number };
    this.tabs.setAttribute("panel", "");
    const headers = ["Timeline", "Sequence", "Output", "Findings"].map((t, i) => {
      const h = document.createElement("vscode-tab-header");
      h.setAttribute("slot", "header");
      h.dataset.view = VIEWS[i]; // vscode-tabs assigns its own ids
      h.textContent = t;
      return h;
    });
    this.findingsHeader = headers[3];
    const panels = [this.timelineView.root, this.sequenceView.root, this.outputEl, this.findingsEl].map((content, i) => {
      const p = document.createElement("vscode-tab-panel");
      p.dataset.view = VIEWS[i];
      p.append(content);
      return p;
    });
    for (let i = 0; i < headers.length; i++) this.tabs.append(headers[i], panels[i]);
    this.tabs.addEventListener("vsc-tabs-select", (e) => {
      const index = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      this.saveState({ view: VIEWS[index] ?? "timeline" });
    });

    this.tooltip.setAttribute("role", "tooltip");
    this.tooltip.id = "tooltip";
    this.tooltip.hidden = true;
    root.append(header, playback, this.tabs, this.tooltip);
    document.addEventListener("keydown", (e) => this.onGlobalKey(e));
    window.addEventListener("resize", () => this.layout());
    new ResizeObserver(() => this.layout()).observe(header);
    onThemeChange(() => this.timelineView.refreshTheme());
    window.addEventListener("message", (e) => this.onMessage(e.data));
  }

  /** The views fill what the header, banner and playback bar leave of the window. */
  private layout(): void {
    const top = this.tabs.getBoundingClientRect().top;
    // 40 px: the tab strip above the panels, plus the page's bottom padding.
    document.documentElement.style.setProperty("--content-h", `${Math.max(160, Math.floor(window.innerHeight - top - 40))}px`);
  }

  start(payload: TracePayload | null, locale: string): void {
    this.locale = locale.toLowerCase().startsWith("zh") ? "zh-tw" : "en";
    if (payload) this.load(payload);
    else this.renderEmpty();
    this.tabs.selectedIndex = Math.max(0, VIEWS.indexOf(this.state.view));
    this.layout();
    this.host.post({ type: "ready" });
  }

  // ------------------------------------------------------------ loading

  private load(payload: TracePayload): void {
    const trace = payload.trace;
    const sameFile = this.state.file === trace.file;
    this.payload = payload;
    this.timeline = buildTimeline(trace);
    this.sequence = buildSequence(trace, this.locale);
    if (!sameFile) this.state = { ...this.state, window: null, selectedSeq: null, selectedTask: null, step: -1, file: trace.file };
    this.state.step = Math.min(this.state.step, this.sequence.steps.length - 1);
    this.timelineView.setModel(this.timeline, this.state.window);
    this.sequenceView.setModel(this.sequence);
    this.renderHeader(trace);
    this.renderOutput(trace);
    this.renderFindings(payload.findings);
    this.timelineView.setSelection(this.state.selectedSeq, this.state.selectedTask);
    this.applyStep(false);
    this.saveState({});
  }

  private renderEmpty(): void {
    this.titleEl.textContent = "asyncio-trace";
    this.summaryEl.textContent = "No trace yet. Run “Trace async run” on a Python file.";
  }

  private renderHeader(trace: Trace): void {
    const base = trace.file.split(/[\\/]/).pop() ?? trace.file;
    this.titleEl.textContent = base;
    this.titleEl.title = trace.file;
    this.statusEl.textContent = trace.status;
    this.statusEl.className = `status-badge status-${trace.status}`;
    const m = this.timeline!;
    const saved = m.sumOfWaits - trace.virtualTime;
    const total = el("span", "total");
    total.id = "total";
    total.textContent = `Total ${formatSeconds(trace.virtualTime)} of virtual time`;
    const waits = el("span", "waits");
    waits.textContent =
      m.sumOfWaits > 0
        ? ` · the waits add up to ${formatSeconds(m.sumOfWaits)}${saved > 1e-9 ? ` — running them concurrently saved ${formatSeconds(saved)}` : ""}`
        : "";
    const meta = el("span", "meta");
    meta.textContent = ` · ${trace.tasks.length} task${trace.tasks.length === 1 ? "" : "s"} · exit ${trace.exitCode} · ${trace.engine} engine, Python ${trace.pythonVersion} · ${Math.round(trace.wallMs)} ms real`;
    this.summaryEl.replaceChildren(total, waits, meta);

    const banner: string[] = [];
    if (trace.status === "deadlock" && trace.deadlock) {
      banner.push("Deadlock: nothing is ready and no timer is pending.");
      for (const w of trace.deadlock.waiters) {
        const t = trace.tasks.find((x) => x.id === w.task);
        banner.push(`${t?.name ?? `Task ${w.task}`} (${t?.coro ?? "?"}) waits on ${w.awaiting?.label ?? "something"}${w.location ? ` at line ${w.location.line}` : ""}.`);
      }
    } else if (trace.status === "livelock") {
      banner.push(`Livelock: tasks keep polling with sleep(0) while a timer is pending at ${formatTime(trace.livelock?.pendingTimerAt ?? 0)}.`);
    } else if (trace.status === "budget") {
      banner.push(`Stopped at the time budget after ${Math.round(trace.wallMs)} ms of real time (a loop that never awaits?).`);
    } else if (trace.status === "stopped") {
      banner.push("Stopped by the user.");
    } else if (trace.status === "engine-error") {
      banner.push(`The engine failed: ${trace.engineError ?? "unknown error"}`);
    }
    if (trace.uncaught) banner.push(`Uncaught exception: ${trace.uncaught.line}${trace.uncaught.location ? ` (line ${trace.uncaught.location.line})` : ""}`);
    if (trace.outputTruncated) banner.push("Output was capped; later output was dropped.");
    if (trace.eventsTruncated) banner.push("The trace was capped; later events were dropped.");
    this.bannerEl.replaceChildren(
      ...banner.map((b) => {
        const p = el("p", "");
        p.textContent = b;
        return p;
      }),
    );
    this.bannerEl.hidden = banner.length === 0;
    this.bannerEl.setAttribute("role", banner.length ? "alert" : "presentation");
  }

  private renderOutput(trace: Trace): void {
    const names = new Map(trace.tasks.map((t) => [t.id, t.name]));
    const list = el("div", "output-lines");
    list.setAttribute("role", "list");
    list.setAttribute("aria-label", "Program output");
    const MAX = 5000;
    let n = 0;
    for (const e of trace.events) {
      if (e.kind !== "output" && e.kind !== "warning" && e.kind !== "log") continue;
      if (++n > MAX) {
        const more = el("div", "output-more");
        more.textContent = `… more output in the trace (${MAX} lines shown)`;
        list.append(more);
        break;
      }
      const row = el("div", `output-line ${e.kind === "output" ? e.stream : e.kind}`);
      row.setAttribute("role", "listitem");
      const time = el("span", "output-time");
      time.textContent = `t=${formatTime(e.t)}`;
      const task = el("span", "output-task");
      const taskId = e.kind === "warning" ? (e.createdBy ?? null) : e.task;
      task.textContent = taskId !== null && taskId !== undefined ? (names.get(taskId) ?? "") : "—";
      const text = el("span", "output-text");
      text.textContent =
        e.kind === "output" ? e.text.replace(/\n$/, "") : e.kind === "warning" ? `${e.category}: ${e.message}` : `${e.level} ${e.logger}: ${e.message}`;
      row.append(time, task, text);
      const loc = e.kind === "output" ? null : e.location;
      if (loc) row.addEventListener("click", () => this.reveal(loc, true));
      list.append(row);
    }
    const footer = el("div", "output-footer");
    const lines = [
      trace.uncaught ? `Uncaught ${trace.uncaught.line}` : null,
      `Exit status ${trace.exitCode} (${trace.status})`,
      `${trace.engine} engine · Python ${trace.pythonVersion} · ${formatSeconds(trace.virtualTime)} virtual · ${Math.round(trace.wallMs)} ms real`,
    ].filter((x): x is string => x !== null);
    for (const l of lines) {
      const p = el("div", "");
      p.textContent = l;
      footer.append(p);
    }
    if (n === 0) {
      const none = el("div", "output-empty");
      none.textContent = "The program printed nothing.";
      list.append(none);
    }
    this.outputEl.replaceChildren(list, footer);
  }

  private renderFindings(findings: Finding[]): void {
    this.findingsHeader.textContent = `Findings (${findings.length})`;
    const list = el("ul", "findings-list");
    list.setAttribute("aria-label", "Findings from this run");
    if (findings.length === 0) {
      const li = el("li", "finding-none");
      li.textContent = "No problems found in this run.";
      list.append(li);
    }
    findings.forEach((f, i) => {
      const li = el("li", `finding severity-${f.severity}`);
      li.tabIndex = 0;
      li.dataset.index = String(i);
      const code = el("span", "finding-code");
      code.textContent = f.code;
      const msg = el("span", "finding-message");
      msg.textContent = f.message[this.locale] ?? f.message.en;
      const where = el("span", "finding-where");
      where.textContent = f.location ? `line ${f.location.line}` : "";
      const expl = el("div", "finding-explanation");
      expl.textContent = f.explanation[this.locale] ?? f.explanation.en;
      li.append(code, msg, where, expl);
      li.setAttribute("aria-label", `${f.severity} ${f.code}: ${msg.textContent}${where.textContent ? `, ${where.textContent}` : ""}`);
      li.addEventListener("click", () => this.selectFinding(i));
      li.addEventListener("keydown", (e) => {
        if (e.key === "Enter") this.selectFinding(i);
      });
      list.append(li);
    });
    this.findingsEl.replaceChildren(list);
  }

  // ------------------------------------------------------------ selection and playback

  private selectSegment(s: Segment, focusEditor: boolean): void {
    this.state.selectedSeq = s.seq;
    this.state.selectedTask = s.task;
    this.timelineView.setSelection(s.seq, s.task);
    if (s.location) this.reveal(s.location, focusEditor);
    this.saveState({});
  }

  private selectTask(task: number | null): void {
    this.state.selectedTask = task;
    this.timelineView.setSelection(this.state.selectedSeq, task);
    const lines = task !== null && this.payload ? taskLines(this.payload.trace, task) : [];
    this.host.post({ type: "highlightTask", task, lines });
    this.saveState({});
  }

  private selectFinding(i: number): void {
    const f = this.payload?.findings[i];
    if (!f) return;
    if (f.span) this.timelineView.reveal(f.span.t, f.span.tEnd);
    const seq = f.events.find((s) => this.timeline?.bySeq.has(s)) ?? null;
    this.state.selectedSeq = seq;
    this.state.selectedTask = f.tasks[0] ?? null;
    this.timelineView.setSelection(seq, this.state.selectedTask);
    if (f.location) this.reveal(f.location, true);
    this.setView("timeline");
    this.saveState({});
  }

  private chooseEntry(entryIndex: number): void {
    if (!this.sequence) return;
    const step = this.sequence.steps.indexOf(entryIndex);
    if (step >= 0) {
      this.goToStep(step);
      return;
    }
    const e = this.sequence.entries[entryIndex];
    this.sequenceView.setCurrent(entryIndex);
    this.timelineView.setCursor(e.t);
    this.timelineView.ensureVisible(e.t);
    if (e.location) this.reveal(e.location, false);
  }

  private goToStep(step: number): void {
    if (!this.sequence || this.sequence.steps.length === 0) return;
    this.state.step = Math.max(0, Math.min(this.sequence.steps.length - 1, step));
    this.applyStep(true);
    this.saveState({});
  }

  private applyStep(notify: boolean): void {
    const seqModel = this.sequence;
    if (!seqModel || !this.payload) return;
    const count = seqModel.steps.length;
    if (this.state.step < 0) {
      this.stepLabel.textContent = `${count} steps — press Next or Play to walk through them`;
      this.sequenceView.setCurrent(-1);
      this.timelineView.setCursor(null);
      return;
    }
    const entryIndex = seqModel.steps[this.state.step];
    const e = seqModel.entries[entryIndex];
    this.stepLabel.textContent = `Step ${this.state.step + 1}/${count}: ${e.label}`;
    this.sequenceView.setCurrent(entryIndex);
    this.timelineView.setCursor(e.t);
    this.timelineView.ensureVisible(e.t);
    if (e.seq !== null) {
      this.state.selectedSeq = e.seq;
      this.state.selectedTask = e.task;
      this.timelineView.setSelection(e.seq, e.task);
      const lane = this.timeline?.lanes.findIndex((l) => l.task === e.task) ?? -1;
      if (lane >= 0) this.timelineView.scrollToLane(lane);
    }
    if (notify) {
      this.host.post({ type: "stepChanged", step: this.state.step, location: e.location, text: stepDecorationText(e, this.payload.trace, this.locale) });
      if (e.location) this.reveal(e.location, false);
    }
  }

  private togglePlay(): void {
    if (this.playTimer) {
      this.stopPlay();
      return;
    }
    if (!this.sequence || this.sequence.steps.length === 0) return;
    if (this.state.step >= this.sequence.steps.length - 1) this.state.step = -1;
    this.playButton.textContent = "❚❚ Pause";
    this.playButton.setAttribute("aria-label", "Pause playback (K)");
    const tick = () => {
      if (!this.sequence || this.state.step >= this.sequence.steps.length - 1) {
        this.stopPlay();
        return;
      }
      this.goToStep(this.state.step + 1);
    };
    tick();
    this.playTimer = window.setInterval(tick, PLAY_INTERVAL_MS);
  }

  private stopPlay(): void {
    if (this.playTimer) window.clearInterval(this.playTimer);
    this.playTimer = 0;
    this.playButton.textContent = "▶ Play";
    this.playButton.setAttribute("aria-label", "Play through the steps (K)");
  }

  private reveal(location: SourceLocation, focusEditor: boolean): void {
    this.host.post({ type: "revealLocation", location, focusEditor });
  }

  private setView(view: PanelView): void {
    this.tabs.selectedIndex = VIEWS.indexOf(view);
    this.saveState({ view });
  }

  private onGlobalKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.classList.contains("timeline-canvas"))) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    switch (e.key) {
      case "n":
      case "N":
        this.goToStep(this.state.step + 1);
        break;
      case "p":
      case "P":
        this.goToStep(this.state.step - 1);
        break;
      case "k":
      case "K":
        this.togglePlay();
        break;
      case "Home":
        if (target?.closest(".seq-scroll, .lane-headers")) return;
        this.goToStep(0);
        break;
      case "End":
        if (target?.closest(".seq-scroll, .lane-headers")) return;
        this.goToStep(Number.MAX_SAFE_INTEGER);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  // ------------------------------------------------------------ tooltip

  private showTooltip(s: Segment | null, clientX: number, clientY: number): void {
    if (!s || !this.payload) {
      this.tooltip.hidden = true;
      return;
    }
    const trace = this.payload.trace;
    const lines: [string, string][] = [];
    const task = s.task !== null ? trace.tasks.find((t) => t.id === s.task) : undefined;
    lines.push(["", task ? `${task.name} · ${task.coro}` : "event loop"]);
    lines.push(["", describe(s)]);
    if (s.awaiting) lines.push(["awaited", `${s.awaiting.label}${s.awaiting.kind !== "other" ? ` (${s.awaiting.kind})` : ""}`]);
    lines.push(["time", s.tEnd > s.t ? `${formatTime(s.t)} → ${formatTime(s.tEnd)} (${formatTime(s.tEnd - s.t)})` : formatTime(s.t)]);
    if (s.location) {
      lines.push(["line", `${s.location.file.split(/[\\/]/).pop()}:${s.location.line}`]);
      const code = this.sourceLine(s.location);
      if (code) lines.push(["code", code]);
    }
    this.tooltip.replaceChildren(
      ...lines.map(([k, v]) => {
        const row = el("div", k ? `tip-row tip-${k}` : "tip-row");
        if (k) {
          const key = el("span", "tip-key");
          key.textContent = k;
          row.append(key);
        }
        const val = el(k === "code" ? "code" : "span", "tip-value");
        val.textContent = v;
        row.append(val);
        return row;
      }),
    );
    this.tooltip.hidden = false;
    const w = this.tooltip.offsetWidth;
    const h = this.tooltip.offsetHeight;
    const x = Math.min(clientX + 14, window.innerWidth - w - 4);
    const y = clientY + 18 + h > window.innerHeight ? clientY - h - 10 : clientY + 18;
    this.tooltip.style.left = `${Math.max(0, x)}px`;
    this.tooltip.style.top = `${Math.max(0, y)}px`;
  }

  private sourceLine(loc: SourceLocation): string | null {
    const text = this.payload?.sources?.[loc.file];
    if (!text) return null;
    const line = text.split(/\r?\n/)[loc.line - 1];
    return line !== undefined ? line.trim() : null;
  }

  // ------------------------------------------------------------ host messages and state

  private onMessage(data: unknown): void {
    if (!isToWebview(data)) return;
    const m: ToWebview = data;
    switch (m.type) {
      case "didLoadTrace":
        this.stopPlay();
        this.load(m.payload);
        this.setRunning({ running: false, file: m.payload.trace.file });
        break;
      case "didChangeRunStatus":
        this.setRunning(m.status);
        break;
      case "didRequestStep":
        this.goToStep(m.step);
        break;
      case "didRequestFinding":
        this.selectFinding(m.index);
        break;
      case "didRequestClick": {
        const s = this.timeline?.bySeq.get(m.seq)?.[0];
        if (s) this.selectSegment(s, true);
        break;
      }
      case "snapshotRequest":
        this.host.post({ type: "snapshotReply", id: m.id, snapshot: this.snapshot() });
        break;
    }
  }

  private setRunning(status: RunStatusInfo): void {
    this.runningEl.replaceChildren();
    if (status.running) {
      const bar = document.createElement("vscode-progress-bar");
      bar.setAttribute("aria-label", "Running");
      const text = el("span", "");
      text.textContent = status.message ?? `Running ${status.file?.split(/[\\/]/).pop() ?? ""}…`;
      this.runningEl.append(text, bar);
    }
    this.runningEl.hidden = !status.running;
  }

  snapshot(): PanelSnapshot {
    return {
      file: this.payload?.trace.file ?? null,
      runId: this.payload?.runId ?? null,
      view: this.state.view,
      lanes: (this.timeline?.lanes ?? []).map((l) => ({ id: l.id, title: l.title, subtitle: l.subtitle })),
      totalLabel: document.getElementById("total")?.textContent ?? "",
      window: this.timelineView.window,
      step: this.state.step,
      stepCount: this.sequence?.steps.length ?? 0,
      selectedSeq: this.state.selectedSeq,
      findings: this.payload?.findings.length ?? 0,
    };
  }

  private saveState(patch: Partial<PanelViewState>): void {
    this.state = { ...this.state, ...patch };
    this.host.setState(this.state);
  }

  /** For tests and benchmarks: what the canvas drew, and a way to draw a frame synchronously. */
  debugApi() {
    return {
      snapshot: () => this.snapshot(),
      hitBoxes: () => {
        const r = this.timelineView.canvasElement().getBoundingClientRect();
        return this.timelineView.hitBoxes().map((b) => ({
          x: r.left + b.x,
          y: r.top + b.y,
          w: b.w,
          h: b.h,
          kind: b.segment.kind,
          label: b.segment.label,
          seq: b.segment.seq,
          task: b.segment.task,
          lane: b.segment.lane,
        }));
      },
      drawFrame: () => {
        this.timelineView.draw();
        return this.timelineView.lastFrameMs;
      },
      setWindow: (t0: number, t1: number) => this.timelineView.setWindow({ t0, t1 }),
    };
  }
}

declare global {
  interface Window {
    __asyncioTrace?: ReturnType<App["debugApi"]>;
  }
}

function boot(): void {
  injectStyles();
  const script = document.getElementById(EMBEDDED_PAYLOAD_ID);
  const embedded = script?.textContent ? decodeEmbeddedPayload(script.textContent) : { payload: null, standalone: false, locale: "en" };
  const root = document.getElementById("app") ?? document.body.appendChild(document.createElement("div"));
  root.id = "app";
  if (embedded.standalone) document.body.classList.add("standalone");
  const app = new App(root, embedded.standalone);
  window.__asyncioTrace = app.debugApi();
  app.start(embedded.payload, embedded.locale);
}

boot();
