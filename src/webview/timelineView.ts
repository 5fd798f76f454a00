// The timeline: DOM lane headers (for labels, keyboard and screen readers) beside one canvas that
// draws only the visible lanes and segments. All maths comes from core/trace/timelineModel.
import {
  fitWindow,
  formatTime,
  hitTest,
  niceTicks,
  panBy,
  timeToX,
  visibleRange,
  wheelZoomFactor,
  xToTime,
  zoomAround,
  type HitBox,
  type Segment,
  type TimelineModel,
  type TimeWindow,
  type Viewport,
} from "../core/trace/timelineModel";
import { readPalette, type Palette } from "./theme";

export const AXIS_H = 28;
export const ROW_H = 26;

export interface TimelineCallbacks {
  /** A bar was clicked (or chosen with Enter). */
  onSelect(segment: Segment): void;
  /** A lane header was chosen. */
  onSelectTask(task: number | null): void;
  /** Hover moved to a segment (null: left it). */
  onHover(segment: Segment | null, clientX: number, clientY: number): void;
  /** The zoom window changed (to persist it). */
  onWindowChange(win: TimeWindow): void;
}

export class TimelineView {
  readonly root: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly inner: HTMLElement;
  private readonly headers: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly live: HTMLElement;
  private model: TimelineModel | null = null;
  private win: TimeWindow = { t0: 0, t1: 1 };
  private palette: Palette;
  private boxes: HitBox[] = [];
  private selectedSeq: number | null = null;
  private selectedTask: number | null = null;
  private cursorT: number | null = null;
  private frame = 0;
  private drag: { x: number; win: TimeWindow; moved: boolean } | null = null;
  /** Milliseconds the last frame took to draw (read by the benchmark). */
  lastFrameMs = 0;

  constructor(private readonly cb: TimelineCallbacks) {
    this.root = el("div", "timeline");
    const toolbar = el("div", "timeline-toolbar");
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Zoom");
    toolbar.append(
      button("zoom-in", "Zoom in (+)", "+", () => this.zoomBy(1.5)),
      button("zoom-out", "Zoom out (−)", "−", () => this.zoomBy(1 / 1.5)),
      button("fit", "Fit the whole run (F)", "Fit", () => this.fit()),
    );
    this.scroller = el("div", "timeline-scroll");
    this.inner = el("div", "timeline-inner");
    this.headers = el("div", "lane-headers");
    this.headers.setAttribute("role", "list");
    this.headers.setAttribute("aria-label", "Lanes: the event loop and one per task");
    const plot = el("div", "timeline-plot");
    this.canvas = document.createElement("canvas");
    this.canvas.className = "timeline-canvas";
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute(
      "aria-label",
      "Timeline of tasks on the virtual clock. Arrow keys pan, plus and minus zoom, F fits, Tab moves to the next bar, Enter reveals its line.",
    );
    plot.append(this.canvas);
    this.inner.append(this.headers, plot);
    this.scroller.append(this.inner);
    this.live = el("div", "sr-only");
    this.live.setAttribute("aria-live", "polite");
    this.root.append(toolbar, this.scroller, this.live);
    this.palette = readPalette();

    this.scroller.addEventListener("scroll", () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.canvas.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    this.canvas.addEventListener("pointerdown", (e) => this.onPointerDown(e));
    this.canvas.addEventListener("pointermove", (e) => this.onPointerMove(e));
    this.canvas.addEventListener("pointerup", (e) => this.onPointerUp(e));
    this.canvas.addEventListener("pointerleave", () => this.cb.onHover(null, 0, 0));
    this.canvas.addEventListener("keydown", (e) => this.onKey(e));
  }

  setModel(model: TimelineModel, win: TimeWindow | null): void {
    this.model = model;
    this.win = win && win.t1 > win.t0 ? win : fitWindow(model.total);
    this.renderHeaders();
    this.schedule();
  }

  get window(): TimeWindow {
    return this.win;
  }

  setWindow(win: TimeWindow): void {
    this.win = win;
    this.cb.onWindowChange(win);
    this.schedule();
  }

  fit(): void {
    if (this.model) this.setWindow(fitWindow(this.model.total));
  }

  zoomBy(factor: number, anchor?: number): void {
    if (!this.model) return;
    const a = anchor ?? (this.win.t0 + this.win.t1) / 2;
    this.setWindow(zoomAround(this.win, a, factor, this.model.total));
  }

  /** Shows [t, tEnd] with some margin. */
  reveal(t: number, tEnd: number): void {
    const span = Math.max(tEnd - t, (this.win.t1 - this.win.t0) * 0.05, 1e-6);
    this.setWindow({ t0: t - span * 0.25, t1: tEnd + span * 0.25 });
  }

  /** Pans just enough for `t` to be on screen. */
  ensureVisible(t: number): void {
    const span = this.win.t1 - this.win.t0;
    if (t < this.win.t0 || t > this.win.t1) this.setWindow({ t0: t - span / 2, t1: t + span / 2 });
  }

  setSelection(seq: number | null, task: number | null): void {
    this.selectedSeq = seq;
    this.selectedTask = task;
    for (const h of Array.from(this.headers.children) as HTMLElement[]) {
      h.setAttribute("aria-selected", String(h.dataset.task !== undefined && Number(h.dataset.task) === task));
    }
    this.schedule();
  }

  setCursor(t: number | null): void {
    this.cursorT = t;
    this.schedule();
  }

  refreshTheme(): void {
    this.palette = readPalette();
    this.schedule();
  }

  /** Boxes of the items drawn in the last frame, in canvas CSS pixels (tests and hit testing). */
  hitBoxes(): HitBox[] {
    return this.boxes;
  }

  canvasElement(): HTMLCanvasElement {
    return this.canvas;
  }

  /** Scrolls a lane into view (used when playback moves to a task further down). */
  scrollToLane(lane: number): void {
    const top = AXIS_H + lane * ROW_H;
    const view = this.scroller.clientHeight;
    if (top < this.scroller.scrollTop + AXIS_H || top + ROW_H > this.scroller.scrollTop + view) {
      this.scroller.scrollTop = Math.max(0, top - view / 2);
    }
  }

  private renderHeaders(): void {
    const m = this.model!;
    this.inner.style.height = `${AXIS_H + m.lanes.length * ROW_H}px`;
    this.headers.replaceChildren();
    // Lane headers are cheap DOM rows; thousands are fine because they are created once per trace.
    m.lanes.forEach((lane, i) => {
      const h = el("div", lane.task === null ? "lane-header loop" : "lane-header");
      h.setAttribute("role", "listitem");
      h.tabIndex = -1;
      h.dataset.lane = String(i);
      if (lane.task !== null) h.dataset.task = String(lane.task);
      h.style.top = `${AXIS_H + i * ROW_H}px`;
      h.style.paddingLeft = `${6 + Math.min(lane.depth, 12) * 12}px`;
      const title = el("span", "lane-title");
      title.textContent = lane.title;
      const sub = el("span", "lane-subtitle");
      sub.textContent = lane.subtitle;
      h.append(title, sub);
      h.title = `${lane.title} — ${lane.subtitle}`;
      h.setAttribute("aria-label", lane.task === null ? `event loop lane` : `${lane.subtitle}: ${lane.title}`);
      h.addEventListener("click", () => this.cb.onSelectTask(lane.task));
      h.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          this.cb.onSelectTask(lane.task);
        } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
          e.preventDefault();
          const next = this.headers.children[i + (e.key === "ArrowDown" ? 1 : -1)] as HTMLElement | undefined;
          if (next) {
            h.tabIndex = -1;
            next.tabIndex = 0;
            next.focus();
          }
        }
      });
      this.headers.append(h);
    });
    const first = this.headers.firstElementChild as HTMLElement | null;
    if (first) first.tabIndex = 0;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Draws one frame now (the benchmark calls this directly). */
  draw(): void {
    const start = performance.now();
    const m = this.model;
    const canvas = this.canvas;
    const cssW = Math.max(1, canvas.parentElement!.clientWidth);
    const cssH = Math.max(1, this.scroller.clientHeight);
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
      canvas.width = Math.round(cssW * dpr);
      canvas.height = Math.round(cssH * dpr);
      canvas.style.width = `${cssW}px`;
      canvas.style.height = `${cssH}px`;
    }
    const ctx = canvas.getContext("2d")!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const p = this.palette;
    ctx.fillStyle = p.background;
    ctx.fillRect(0, 0, cssW, cssH);
    this.boxes = [];
    if (!m) return;
    const vp: Viewport = { ...this.win, width: cssW };
    const scrollTop = this.scroller.scrollTop;
    const firstLane = Math.max(0, Math.floor(scrollTop / ROW_H));
    const lastLane = Math.min(m.lanes.length - 1, Math.ceil((scrollTop + cssH - AXIS_H) / ROW_H));
    ctx.font = `12px ${p.font.replace(/^\S+\s/, "")}`;
    ctx.textBaseline = "middle";

    // Lane backgrounds.
    for (let i = firstLane; i <= lastLane; i++) {
      const y = AXIS_H + i * ROW_H - scrollTop;
      if (i % 2 === 1) {
        ctx.fillStyle = p.laneAlt;
        ctx.fillRect(0, y, cssW, ROW_H);
      }
      if (m.lanes[i].task !== null && m.lanes[i].task === this.selectedTask) {
        ctx.globalAlpha = 0.35;
        ctx.fillStyle = p.selection;
        ctx.fillRect(0, y, cssW, ROW_H);
        ctx.globalAlpha = 1;
      }
    }
    // Grid lines under the bars.
    const { ticks } = niceTicks(vp);
    ctx.strokeStyle = p.grid;
    ctx.globalAlpha = 0.35;
    ctx.beginPath();
    for (const t of ticks) {
      const x = Math.round(timeToX(t, vp)) + 0.5;
      ctx.moveTo(x, AXIS_H);
      ctx.lineTo(x, cssH);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;

    const batch = newBatch();
    for (let i = firstLane; i <= lastLane; i++) {
      const y = AXIS_H + i * ROW_H - scrollTop;
      const [from, to] = visibleRange(m.byLane[i], this.win.t0, this.win.t1);
      const segs = m.byLane[i].segments;
      // Thousands of items can fall on one pixel column when zoomed out: a sub-pixel item whose
      // column is already painted adds nothing visible, so draw each column once.
      let covered = -Infinity;
      for (let k = from; k < to; k++) {
        const s = segs[k];
        const x0 = timeToX(s.t, vp);
        // A wait that never ended (deadlock, stop, budget) runs on past the end of the run.
        const x1 = s.unfinished ? Math.max(timeToX(s.tEnd, vp), cssW + 2) : timeToX(s.tEnd, vp);
        if (x1 - x0 < 1 && Math.floor(x0) <= covered && s.seq !== this.selectedSeq) continue;
        this.drawSegment(batch, s, x0, x1, y, cssW);
        covered = Math.max(covered, Math.floor(x1));
      }
    }
    this.flush(ctx, batch, p);
    // Axis on top (it stays put while lanes scroll under it).
    ctx.fillStyle = p.background;
    ctx.fillRect(0, 0, cssW, AXIS_H);
    ctx.strokeStyle = p.grid;
    ctx.beginPath();
    ctx.moveTo(0, AXIS_H - 0.5);
    ctx.lineTo(cssW, AXIS_H - 0.5);
    ctx.stroke();
    ctx.fillStyle = p.muted;
    ctx.textAlign = "center";
    for (const t of ticks) {
      const x = timeToX(t, vp);
      ctx.fillRect(Math.round(x), AXIS_H - 6, 1, 6);
      ctx.fillText(formatTime(t), x, AXIS_H / 2 - 2);
    }
    ctx.textAlign = "left";
    if (this.cursorT !== null) {
      const x = Math.round(timeToX(this.cursorT, vp)) + 0.5;
      ctx.strokeStyle = p.cursor;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, cssH);
      ctx.stroke();
      ctx.lineWidth = 1;
    }
    this.lastFrameMs = performance.now() - start;
  }

  /**
   * Queues one segment. Common shapes (wait bars, ticks, idle lines) go into batches that are
   * filled or stroked with one call each: a 50,000-event trace then costs a handful of canvas
   * state changes per frame instead of thousands. Rare shapes are drawn later on top.
   */
  private drawSegment(b: FrameBatch, s: Segment, x0: number, x1: number, laneY: number, width: number): void {
    const selected = s.seq === this.selectedSeq;
    const cx0 = Math.max(x0, -2);
    const cx1 = Math.min(x1, width + 2);
    const w = Math.max(1, cx1 - cx0);
    let box: HitBox;
    switch (s.kind) {
      case "wait": {
        const y = laneY + 6;
        const h = ROW_H - 12;
        b.waitFill.rect(cx0, y, w, h);
        (s.unfinished ? b.waitDashed : b.waitStroke).rect(cx0 + 0.5, y + 0.5, Math.max(0, w - 1), h - 1);
        if (w >= 14) b.labels.push({ text: s.label, x0: cx0, x1: cx1, y: laneY + ROW_H / 2, muted: false });
        box = { x: cx0, y, w, h, segment: s };
        break;
      }
      case "blocked-step":
      case "blocked": {
        const y = laneY + 3;
        const h = ROW_H - 6;
        const bw = Math.max(2, cx1 - cx0);
        b.blockedFill.rect(cx0, y, bw, h);
        b.blockedStroke.rect(cx0 + 0.5, y + 0.5, bw - 1, h - 1);
        if (bw >= 14) b.labels.push({ text: `⚠ ${s.label}`, x0: cx0, x1: cx1, y: laneY + ROW_H / 2, muted: false });
        box = { x: cx0, y, w: bw, h, segment: s };
        break;
      }
      case "idle": {
        const y = Math.round(laneY + ROW_H / 2) + 0.5;
        b.idleDashed.moveTo(cx0, y);
        b.idleDashed.lineTo(cx1, y);
        b.idleCaps.rect(Math.round(x0), laneY + 5, 1, ROW_H - 10);
        b.idleCaps.rect(Math.round(x1), laneY + 5, 1, ROW_H - 10);
        if (w >= 14) b.labels.push({ text: `» ${s.label}`, x0: cx0, x1: cx1, y: laneY + 7, muted: true });
        box = { x: cx0, y: laneY + 2, w, h: ROW_H - 4, segment: s };
        break;
      }
      case "end": {
        const x = Math.round(x0);
        const path = s.end === "exception" ? b.endError : s.end === "cancelled" ? b.endMuted : b.endOk;
        path.moveTo(x, laneY + 5);
        path.lineTo(x + 5, laneY + ROW_H / 2);
        path.lineTo(x, laneY + ROW_H - 5);
        path.lineTo(x - 5, laneY + ROW_H / 2);
        path.closePath();
        box = { x: x - 5, y: laneY + 4, w: 10, h: ROW_H - 8, segment: s };
        break;
      }
      default: {
        // step / callback: a tick, or a span if time moved.
        const tw = Math.max(2, cx1 - cx0);
        const tx = Math.round(cx0) - (tw <= 2 ? 1 : 0);
        (s.kind === "callback" ? b.callbacks : b.ticks).rect(tx, laneY + 3, tw, ROW_H - 6);
        box = { x: tx, y: laneY + 3, w: tw, h: ROW_H - 6, segment: s };
        break;
      }
    }
    if (selected) b.selected.push(box);
    this.boxes.push(box);
  }

  /** Paints the queued batches in z-order: waits, idle lines, ticks, blocked spans, end markers, labels, selection. */
  private flush(ctx: CanvasRenderingContext2D, b: FrameBatch, p: Palette): void {
    ctx.globalAlpha = 0.3;
    ctx.fillStyle = p.wait;
    ctx.fill(b.waitFill);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = p.wait;
    ctx.stroke(b.waitStroke);
    ctx.setLineDash([4, 3]);
    ctx.stroke(b.waitDashed);
    ctx.strokeStyle = p.idle;
    ctx.setLineDash([3, 3]);
    ctx.stroke(b.idleDashed);
    ctx.setLineDash([]);
    ctx.fillStyle = p.idle;
    ctx.fill(b.idleCaps);
    ctx.fillStyle = p.step;
    ctx.fill(b.ticks);
    ctx.fillStyle = p.muted;
    ctx.fill(b.callbacks);
    ctx.globalAlpha = 0.55;
    ctx.fillStyle = p.blocked;
    ctx.fill(b.blockedFill);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = p.blocked;
    ctx.stroke(b.blockedStroke);
    ctx.fillStyle = p.ok;
    ctx.fill(b.endOk);
    ctx.fillStyle = p.error;
    ctx.fill(b.endError);
    ctx.fillStyle = p.muted;
    ctx.fill(b.endMuted);
    for (const l of b.labels) this.label(ctx, l.text, l.x0, l.x1, l.y, l.muted ? p.muted : p.foreground);
    ctx.strokeStyle = p.focus;
    ctx.lineWidth = 2;
    for (const box of b.selected) ctx.strokeRect(box.x - 2, box.y - 2, box.w + 4, box.h + 4);
    ctx.lineWidth = 1;
  }

  private label(ctx: CanvasRenderingContext2D, text: string, x0: number, x1: number, y: number, color: string): void {
    const left = Math.max(x0, 0) + 4;
    const room = Math.min(x1, this.canvas.clientWidth) - left - 4;
    if (room < 14 || !text) return;
    let t = text;
    const full = ctx.measureText(t).width;
    if (full > room) {
      // Estimate the cut from the average glyph width, then correct: a few measureText calls, not one per character.
      let n = Math.floor((text.length * room) / full) - 1;
      while (n > 0 && ctx.measureText(`${text.slice(0, n)}…`).width > room) n--;
      if (n < 2) return;
      t = `${text.slice(0, n)}…`;
    }
    ctx.fillStyle = color;
    ctx.fillText(t, left, y);
  }

  private localPoint(e: MouseEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private viewport(): Viewport {
    return { ...this.win, width: Math.max(1, this.canvas.clientWidth) };
  }

  private onWheel(e: WheelEvent): void {
    if (!this.model) return;
    e.preventDefault();
    const { x } = this.localPoint(e);
    const vp = this.viewport();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      const d = e.shiftKey ? e.deltaY || e.deltaX : e.deltaX;
      this.setWindow(panBy(this.win, (d / vp.width) * (vp.t1 - vp.t0), this.model.total));
    } else {
      this.setWindow(zoomAround(this.win, xToTime(x, vp), wheelZoomFactor(e.deltaY), this.model.total));
    }
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.canvas.setPointerCapture(e.pointerId);
    this.drag = { x: e.clientX, win: this.win, moved: false };
  }

  private onPointerMove(e: PointerEvent): void {
    if (this.drag && this.model) {
      const dx = e.clientX - this.drag.x;
      if (Math.abs(dx) > 3) this.drag.moved = true;
      if (this.drag.moved) {
        const vp = this.viewport();
        this.setWindow(panBy(this.drag.win, (-dx / vp.width) * (vp.t1 - vp.t0), this.model.total));
        this.cb.onHover(null, 0, 0);
        return;
      }
    }
    const { x, y } = this.localPoint(e);
    const hit = hitTest(this.boxes, x, y);
    this.canvas.style.cursor = hit ? "pointer" : this.drag ? "grabbing" : "grab";
    this.cb.onHover(hit ? hit.segment : null, e.clientX, e.clientY);
  }

  private onPointerUp(e: PointerEvent): void {
    const drag = this.drag;
    this.drag = null;
    if (!drag || drag.moved) return;
    const { x, y } = this.localPoint(e);
    const hit = hitTest(this.boxes, x, y);
    if (hit) this.cb.onSelect(hit.segment);
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.model) return;
    const span = this.win.t1 - this.win.t0;
    const total = this.model.total;
    switch (e.key) {
      case "ArrowLeft":
        this.setWindow(panBy(this.win, -span * 0.1, total));
        break;
      case "ArrowRight":
        this.setWindow(panBy(this.win, span * 0.1, total));
        break;
      case "+":
      case "=":
        this.zoomBy(1.5);
        break;
      case "-":
      case "_":
        this.zoomBy(1 / 1.5);
        break;
      case "f":
      case "F":
      case "0":
        this.fit();
        break;
      case "Tab": {
        // Tab walks the drawn bars; past the last one focus leaves the canvas as usual.
        const order = [...this.boxes].sort((a, b) => a.segment.t - b.segment.t || a.segment.lane - b.segment.lane || a.segment.seq - b.segment.seq);
        const idx = order.findIndex((b) => b.segment.seq === this.selectedSeq && b.segment.kind === (this.focusKind ?? b.segment.kind));
        const next = order[idx + (e.shiftKey ? -1 : 1)];
        if (!next) return;
        this.focusKind = next.segment.kind;
        this.selectedSeq = next.segment.seq;
        this.live.textContent = describe(next.segment);
        this.schedule();
        break;
      }
      case "Enter": {
        const b = this.boxes.find((x) => x.segment.seq === this.selectedSeq && (!this.focusKind || x.segment.kind === this.focusKind));
        if (b) this.cb.onSelect(b.segment);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  private focusKind: Segment["kind"] | null = null;
}

interface FrameBatch {
  waitFill: Path2D;
  waitStroke: Path2D;
  waitDashed: Path2D;
  blockedFill: Path2D;
  blockedStroke: Path2D;
  idleDashed: Path2D;
  idleCaps: Path2D;
  ticks: Path2D;
  callbacks: Path2D;
  endOk: Path2D;
  endError: Path2D;
  endMuted: Path2D;
  labels: { text: string; x0: number; x1: number; y: number; muted: boolean }[];
  selected: HitBox[];
}

function newBatch(): FrameBatch {
  return {
    waitFill: new Path2D(),
    waitStroke: new Path2D(),
    waitDashed: new Path2D(),
    blockedFill: new Path2D(),
    blockedStroke: new Path2D(),
    idleDashed: new Path2D(),
    idleCaps: new Path2D(),
    ticks: new Path2D(),
    callbacks: new Path2D(),
    endOk: new Path2D(),
    endError: new Path2D(),
    endMuted: new Path2D(),
    labels: [],
    selected: [],
  };
}

/** Screen-reader text for a segment. */
export function describe(s: Segment): string {
  const span = s.tEnd > s.t ? ` from ${formatTime(s.t)} to ${formatTime(s.tEnd)}` : ` at ${formatTime(s.t)}`;
  const what =
    s.kind === "wait"
      ? `waits on ${s.label}`
      : s.kind === "blocked" || s.kind === "blocked-step"
        ? `blocks the loop: ${s.label}`
        : s.kind === "idle"
          ? "loop idle"
          : s.kind === "end"
            ? s.label
            : s.kind === "callback"
              ? `callback ${s.label}`
              : "runs";
  const open = s.unfinished ? ", still waiting when the run ended" : "";
  return `${what}${span}${open}${s.location ? `, line ${s.location.line}` : ""}`;
}

export function el(tag: string, className: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}

export function button(id: string, label: string, text: string, onClick: () => void): HTMLElement {
  const b = document.createElement("vscode-button");
  b.id = id;
  b.setAttribute("secondary", "");
  b.setAttribute("aria-label", label);
  b.title = label;
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}
