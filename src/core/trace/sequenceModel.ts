/**
 * The tutorial's 時序圖 (sequence diagram), generated from a trace: numbered loop ⇄ task arrows
 * ("run Task-2", "await asyncio.sleep(3) → back to the loop", "timer fired: wake Task-3") with
 * notes for idle periods and blocked spans. The numbered entries are also the playback steps.
 *
 * For the tutorial's gather example it yields ① asyncio.run(main()) ② run main ③ main awaits
 * gather ④ run A ⑤ A awaits sleep(3) ⑥ run B ⑦ B awaits sleep(2) (idle note) ⑧ wake B → return
 * ⑨ wake A → return ⑩ gather done: wake main → return ⑪ the loop ends.
 */
import type { AwaitTarget, SourceLocation, TaskEnd, TaskInfo, Trace, TraceEvent } from "./schema";
import { formatTime, taskTitle } from "./timelineModel";

export type SequenceEntryKind =
  | "start" // asyncio.run(...) creates the loop and the main task
  | "run" // the loop runs a task (first step, or a wake-up)
  | "yield" // the task awaits something and gives control back to the loop
  | "idle" // note: nothing ready, the clock jumps to the next timer
  | "blocked" // note: something blocked the loop
  | "end"; // the loop stops (asyncio.run returns, or deadlock / budget / stop)

export interface SequenceEntry {
  kind: SequenceEntryKind;
  /** 1-based number for arrows (shown ①, ②, ...); null for notes. */
  number: number | null;
  /** "toTask": loop ──▶ task; "toLoop": task ──▶ loop (drawn ◀──); "none": a note on the loop line. */
  direction: "toTask" | "toLoop" | "none";
  task: number | null;
  /** Short task label for the right-hand column: `main`, `fetch('A', 3)`. */
  taskLabel: string;
  /** The arrow's text. */
  label: string;
  /** What the task side shows: "running", "continues after await → return 'A'". */
  detail: string;
  t: number;
  /** The event this entry stands for (a step, idle, blocked or task-created event); null for the end. */
  seq: number | null;
  location: SourceLocation | null;
  warning: boolean;
  /** Program output printed during this entry's step, in order. */
  output: string[];
}

export interface SequenceModel {
  entries: SequenceEntry[];
  /** Indices into `entries` of the numbered entries: the playback steps. */
  steps: number[];
}

const CIRCLED_1_20 = 0x2460;
const CIRCLED_21_35 = 0x3251;
const CIRCLED_36_50 = 0x32b1;

/** ① … ㊿ as in the tutorial, then "(51)". */
export function circledNumber(n: number): string {
  if (n >= 1 && n <= 20) return String.fromCodePoint(CIRCLED_1_20 + n - 1);
  if (n >= 21 && n <= 35) return String.fromCodePoint(CIRCLED_21_35 + n - 21);
  if (n >= 36 && n <= 50) return String.fromCodePoint(CIRCLED_36_50 + n - 36);
  return `(${n})`;
}

/** `sleep(3)` -> `asyncio.sleep(3)`: the tutorial writes what the user wrote. */
export function awaitText(a: AwaitTarget): string {
  const asyncioKinds: AwaitTarget["kind"][] = ["sleep", "gather", "wait"];
  if (asyncioKinds.includes(a.kind) && /^[a-z_]+\(/.test(a.label)) return `asyncio.${a.label}`;
  return a.label;
}

export type SequenceLanguage = "en" | "zh-tw";

/** Every sentence of the diagram, per language. zh-tw follows the tutorial's own wording. */
const TEXTS = {
  en: {
    start: (coro: string, name: string) => `new event loop; ${coro}() wrapped as ${name} in the ready queue`,
    run: (name: string, label: string) => `run ${name} ${label}`,
    wake: (reason: string, name: string) => `${reason}: wake ${name}`,
    running: "running",
    continues: (aw: string | null) => (aw ? `continues after await ${aw}` : "continues"),
    blocks: (d: string) => `blocks the loop for ${d}`,
    created: (names: string[]) => `${names.join(", ")} created and queued to run`,
    yield: (aw: string) => `await ${aw} → back to the loop`,
    waitsOn: (label: string) => `waits on ${label}`,
    idle: (from: string, to: string) => `all tasks waiting: loop idle, clock jumps ${from} → ${to}`,
    blockedNote: (call: string, d: string) => `${call} blocks the loop for ${d}`,
    timerFired: "timer fired",
    timeoutFired: "timeout fired",
    gatherDone: "gather done",
    done: (what: string) => `${what} done`,
    ready: (what: string) => `${what} ready`,
    readyPlain: "ready",
    endOk: (call: string) => `${call} returns; loop closed`,
    programEnds: "program ends",
    deadlock: "deadlock: nothing ready and no timer pending",
    livelock: "livelock: tasks poll while a timer is pending",
    budget: "time budget exhausted: run stopped",
    stopped: "stopped by the user",
    engineError: (m: string) => `engine error${m ? `: ${m}` : ""}`,
    result: (repr: string) => `return ${repr}`,
    raises: (type: string, msg: string) => `raises ${type}${msg ? `: ${msg}` : ""}`,
    cancelled: "cancelled",
    pending: "still pending",
    loop: "event loop",
  },
  "zh-tw": {
    start: (coro: string, name: string) => `建立新事件迴圈,${coro} 包成 ${name} 加進待辦`,
    run: (name: string, label: string) => `從待辦挑 ${name} ${label} 執行`,
    wake: (reason: string, name: string) => `${reason},喚醒 ${name}`,
    running: "running",
    continues: (aw: string | null) => (aw ? `從 await ${aw} 後繼續` : "繼續執行"),
    blocks: (d: string) => `阻塞事件迴圈 ${d}`,
    created: (names: string[]) => `${names.join("、")} 包成 Task 加入待辦`,
    yield: (aw: string) => `await ${aw},把控制權交回事件迴圈`,
    waitsOn: (label: string) => `等待 ${label}`,
    idle: (from: string, to: string) => `所有任務都在等:事件迴圈閒置,時鐘從 ${from} 跳到 ${to}`,
    blockedNote: (call: string, d: string) => `${call} 阻塞事件迴圈 ${d}`,
    timerFired: "計時器到期",
    timeoutFired: "逾時到期",
    gatherDone: "gather 完成",
    done: (what: string) => `${what} 完成`,
    ready: (what: string) => `${what} 就緒`,
    readyPlain: "就緒",
    endOk: (call: string) => `${call} 結束事件迴圈`,
    programEnds: "程式結束",
    deadlock: "死結:沒有任務就緒,也沒有待觸發的計時器",
    livelock: "活結:任務不停輪詢,計時器卻等不到",
    budget: "超過時間預算:已停止執行",
    stopped: "已由使用者停止",
    engineError: (m: string) => `引擎錯誤${m ? `:${m}` : ""}`,
    result: (repr: string) => `return ${repr}`,
    raises: (type: string, msg: string) => `拋出 ${type}${msg ? `: ${msg}` : ""}`,
    cancelled: "已取消",
    pending: "仍在等待",
    loop: "事件迴圈",
  },
} as const;

type Texts = (typeof TEXTS)["en"] | (typeof TEXTS)["zh-tw"];

function endText(end: TaskEnd, T: Texts): string {
  switch (end.kind) {
    case "result":
      return T.result(end.repr);
    case "exception":
      return T.raises(end.type, end.message);
    case "cancelled":
      return T.cancelled;
    case "pending":
      return T.pending;
  }
}

/** Why the loop ran a task again, from what it waited on. */
function wakeReason(a: AwaitTarget | null, tasks: Map<number, TaskInfo>, firedLabel: string | null, T: Texts): string {
  if (!a) return T.readyPlain;
  switch (a.kind) {
    case "sleep":
      return T.timerFired;
    case "gather":
      return T.gatherDone;
    case "task": {
      const t = a.tasks?.length === 1 ? tasks.get(a.tasks[0]) : undefined;
      return T.done(t ? t.name : a.label);
    }
    case "wait":
      return firedLabel ? T.timeoutFired : T.done(a.label);
    default:
      return firedLabel ? T.timerFired : T.ready(a.label);
  }
}

function rootCall(task: TaskInfo): string {
  return `asyncio.run(${task.coro || `${task.name}()`})`;
}

/** Builds the diagram. Linear in the number of events. */
export function buildSequence(trace: Trace, language: SequenceLanguage = "en"): SequenceModel {
  const T: Texts = TEXTS[language] ?? TEXTS.en;
  const tasks = new Map(trace.tasks.map((t) => [t.id, t]));
  const entries: SequenceEntry[] = [];
  const lastAwait = new Map<number, AwaitTarget | null>();
  const started = new Set<number>();
  /** A timer fired for this task since its last step. */
  const fired = new Map<number, string>();
  /** Entries whose step ended the task: the task-done event fills in how. */
  const openRun = new Map<number, SequenceEntry>();
  // The tracer emits a step event when the step ends, so what it printed comes first: hold it.
  const pendingOutput = new Map<number | null, string[]>();
  const pendingBlocked = new Map<number, Omit<SequenceEntry, "number" | "output">[]>();
  /** Tasks a task created during its current step (create_task, gather): the tutorial's "加入待辦". */
  const pendingCreated = new Map<number, string[]>();
  let rootTask: TaskInfo | null = null;
  let number = 0;
  const push = (e: Omit<SequenceEntry, "number" | "output">, numbered: boolean) => {
    const entry: SequenceEntry = { ...e, number: numbered ? ++number : null, output: [] };
    entries.push(entry);
    return entry;
  };
  const labelOf = (id: number) => {
    const t = tasks.get(id);
    return t ? taskTitle(t) : `Task ${id}`;
  };
  const nameOf = (id: number) => tasks.get(id)?.name ?? `Task ${id}`;

  for (const e of trace.events as TraceEvent[]) {
    switch (e.kind) {
      case "task-created": {
        const info = tasks.get(e.task);
        if (info && info.parent !== null) {
          let list = pendingCreated.get(info.parent);
          if (!list) pendingCreated.set(info.parent, (list = []));
          list.push(info.name);
        }
        if (info && info.parent === null) {
          if (!rootTask) rootTask = info;
          push(
            {
              kind: "start",
              direction: "toLoop",
              task: info.id,
              taskLabel: taskTitle(info),
              label: rootCall(info),
              detail: T.start(taskTitle(info), info.name),
              t: e.t,
              seq: e.seq,
              location: info.created,
              warning: false,
            },
            true,
          );
        }
        break;
      }
      case "timer-fired":
        if (e.task !== null) fired.set(e.task, e.label);
        break;
      case "step": {
        const first = !started.has(e.task);
        started.add(e.task);
        const name = nameOf(e.task);
        const prev = lastAwait.get(e.task) ?? null;
        const label = first ? T.run(name, labelOf(e.task)) : T.wake(wakeReason(prev, tasks, fired.get(e.task) ?? null, T), name);
        const blocked = e.tEnd > e.t;
        const detail = first ? T.running : T.continues(prev ? awaitText(prev) : null);
        const run = push(
          {
            kind: "run",
            direction: "toTask",
            task: e.task,
            taskLabel: labelOf(e.task),
            label,
            detail: blocked ? `${detail}; ${T.blocks(formatTime(e.tEnd - e.t))}` : detail,
            t: e.t,
            seq: e.seq,
            location: e.resumed,
            warning: blocked,
          },
          true,
        );
        run.output = pendingOutput.get(e.task) ?? [];
        for (const note of pendingBlocked.get(e.task) ?? []) push(note, false);
        pendingBlocked.delete(e.task);
        pendingOutput.delete(e.task);
        fired.delete(e.task);
        lastAwait.set(e.task, e.awaiting);
        const created = pendingCreated.get(e.task) ?? [];
        pendingCreated.delete(e.task);
        if (created.length && !e.awaiting) run.detail = `${run.detail}; ${T.created(created)}`;
        if (e.awaiting) {
          push(
            {
              kind: "yield",
              direction: "toLoop",
              task: e.task,
              taskLabel: labelOf(e.task),
              label: T.yield(awaitText(e.awaiting)),
              detail: `${T.waitsOn(e.awaiting.label)}${created.length ? `; ${T.created(created)}` : ""}`,
              t: e.tEnd,
              seq: e.seq,
              location: e.suspended,
              warning: false,
            },
            true,
          );
        } else {
          openRun.set(e.task, run);
        }
        break;
      }
      case "task-done": {
        const run = openRun.get(e.task);
        if (run) {
          openRun.delete(e.task);
          run.detail = `${run.detail} → ${endText(e.end, T)}`;
          if (e.end.kind === "exception") run.warning = true;
        }
        break;
      }
      case "idle":
        push(
          {
            kind: "idle",
            direction: "none",
            task: null,
            taskLabel: "",
            label: T.idle(formatTime(e.t), formatTime(e.to)),
            detail: "",
            t: e.t,
            seq: e.seq,
            location: null,
            warning: false,
          },
          false,
        );
        break;
      case "blocked": {
        const note: Omit<SequenceEntry, "number" | "output"> = {
          kind: "blocked",
          direction: "none",
          task: e.task,
          taskLabel: e.task !== null ? labelOf(e.task) : "",
          label: T.blockedNote(e.call, formatTime(e.tEnd - e.t)),
          detail: "",
          t: e.t,
          seq: e.seq,
          location: e.location,
          warning: true,
        };
        // Inside a task step the note follows that step's arrow (the step event comes later).
        if (e.task !== null && tasks.has(e.task)) {
          let list = pendingBlocked.get(e.task);
          if (!list) pendingBlocked.set(e.task, (list = []));
          list.push(note);
        } else {
          push(note, false);
        }
        break;
      }
      case "output": {
        let list = pendingOutput.get(e.task);
        if (!list) pendingOutput.set(e.task, (list = []));
        list.push(e.text.replace(/\n$/, ""));
        break;
      }
      default:
        break;
    }
  }

  const endLabel =
    trace.status === "ok"
      ? rootTask
        ? T.endOk(rootCall(rootTask))
        : T.programEnds
      : trace.status === "deadlock"
        ? T.deadlock
        : trace.status === "livelock"
          ? T.livelock
          : trace.status === "budget"
            ? T.budget
            : trace.status === "stopped"
              ? T.stopped
              : T.engineError(trace.engineError ?? "");
  if (entries.length > 0 || trace.status !== "ok") {
    const end = push(
      {
        kind: "end",
        direction: "none",
        task: rootTask?.id ?? null,
        taskLabel: "",
        label: endLabel,
        detail: trace.uncaught ? trace.uncaught.line : "",
        t: trace.virtualTime,
        seq: null,
        location: null,
        warning: trace.status !== "ok" || trace.uncaught !== null,
      },
      true,
    );
    // Output printed outside any task step (before asyncio.run or after it returned).
    end.output = pendingOutput.get(null) ?? [];
  }
  const steps: number[] = [];
  entries.forEach((e, i) => {
    if (e.number !== null) steps.push(i);
  });
  return { entries, steps };
}

/** The editor decoration for a playback step: "Task-2 · await asyncio.sleep(3) · t=0.0 s". */
export function stepDecorationText(entry: SequenceEntry, trace: Trace, language: SequenceLanguage = "en"): string {
  const T: Texts = TEXTS[language] ?? TEXTS.en;
  const name = entry.task !== null ? (trace.tasks.find((t) => t.id === entry.task)?.name ?? "") : T.loop;
  const what = entry.kind === "yield" ? entry.label.replace(/ → back to the loop$|,把控制權交回事件迴圈$/, "") : entry.label;
  return `${name ? `${name} · ` : ""}${what} · t=${entry.t.toFixed(1)} s`;
}
