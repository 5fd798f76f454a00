// The sequence view: the tutorial's 時序圖 as rows (loop on the left, tasks on the right), with
// only the visible rows in the DOM so a 50,000-event trace scrolls smoothly.
import { circledNumber, type SequenceEntry, type SequenceModel } from "../core/trace/sequenceModel";
import { formatTime } from "../core/trace/timelineModel";
import { el } from "./timelineView";

export const SEQ_ROW_H = 40;
const OVERSCAN = 8;

export interface SequenceCallbacks {
  /** A row was chosen: `entryIndex` into the model's entries. */
  onChoose(entryIndex: number): void;
}

export class SequenceView {
  readonly root: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private model: SequenceModel | null = null;
  private current = -1;
  private frame = 0;

  constructor(private readonly cb: SequenceCallbacks) {
    this.root = el("div", "sequence");
    const head = el("div", "seq-head");
    const loop = el("span", "seq-head-loop");
    loop.textContent = "event loop";
    const tasks = el("span", "seq-head-task");
    tasks.textContent = "tasks (coroutines)";
    head.append(loop, tasks);
    this.scroller = el("div", "seq-scroll");
    this.scroller.setAttribute("role", "list");
    this.scroller.setAttribute("aria-label", "Sequence of loop and task steps");
    this.scroller.tabIndex = 0;
    this.spacer = el("div", "seq-spacer");
    this.scroller.append(this.spacer);
    this.root.append(head, this.scroller);
    this.scroller.addEventListener("scroll", () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.scroller.addEventListener("keydown", (e) => {
      if (!this.model) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const i = Math.min(this.model.entries.length - 1, Math.max(0, (this.current < 0 ? -1 : this.current) + (e.key === "ArrowDown" ? 1 : -1)));
        this.cb.onChoose(i);
      }
    });
  }

  setModel(model: SequenceModel): void {
    this.model = model;
    this.spacer.style.height = `${model.entries.length * SEQ_ROW_H}px`;
    this.render();
  }

  /** Highlights an entry and scrolls it into view. */
  setCurrent(entryIndex: number): void {
    this.current = entryIndex;
    if (entryIndex >= 0) {
      const top = entryIndex * SEQ_ROW_H;
      const h = this.scroller.clientHeight;
      if (h > 0 && (top < this.scroller.scrollTop || top + SEQ_ROW_H > this.scroller.scrollTop + h)) {
        this.scroller.scrollTop = Math.max(0, top - h / 2);
      }
    }
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render(): void {
    const m = this.model;
    if (!m) return;
    const h = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / SEQ_ROW_H) - OVERSCAN);
    const last = Math.min(m.entries.length, Math.ceil((this.scroller.scrollTop + h) / SEQ_ROW_H) + OVERSCAN);
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) rows.push(this.row(m.entries[i], i));
    this.spacer.replaceChildren(...rows);
  }

  private row(e: SequenceEntry, i: number): HTMLElement {
    const r = el("div", `seq-row seq-${e.kind} seq-${e.direction}${e.warning ? " warning" : ""}${i === this.current ? " current" : ""}`);
    r.setAttribute("role", "listitem");
    r.dataset.index = String(i);
    r.style.top = `${i * SEQ_ROW_H}px`;
    if (i === this.current) r.setAttribute("aria-current", "step");
    const num = el("span", "seq-num");
    num.textContent = e.number !== null ? circledNumber(e.number) : "";
    const time = el("span", "seq-time");
    time.textContent = `t=${formatTime(e.t)}`;
    const arrow = el("span", "seq-arrow");
    const label = el("span", "seq-label");
    label.textContent = e.label;
    if (e.direction === "toTask") arrow.append(label, text("span", "seq-head-right", "──▶"));
    else if (e.direction === "toLoop") arrow.append(text("span", "seq-head-left", "◀──"), label);
    else arrow.append(label);
    const task = el("span", "seq-task");
    if (e.taskLabel) task.append(text("strong", "seq-task-name", e.taskLabel));
    if (e.detail) task.append(text("span", "seq-detail", `: ${e.detail}`));
    if (e.output.length) task.append(text("span", "seq-output", `  — prints ${e.output.map((o) => JSON.stringify(o)).join(", ")}`));
    r.append(num, time, arrow, task);
    const spoken = `${e.number !== null ? `step ${e.number}: ` : ""}${e.label}${e.taskLabel ? `, ${e.taskLabel}` : ""}${e.detail ? `: ${e.detail}` : ""}, at ${formatTime(e.t)}`;
    r.setAttribute("aria-label", spoken);
    r.title = spoken;
    r.addEventListener("click", () => this.cb.onChoose(i));
    return r;
  }
}

function text(tag: string, cls: string, t: string): HTMLElement {
  const e = el(tag, cls);
  e.textContent = t;
  return e;
}
