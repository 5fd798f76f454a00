/**
 * The words of every runtime finding, in English and Traditional Chinese (Taiwan). Messages state
 * facts from the run with numbers and lines; explanations give the tutorial idea behind them.
 * The findings module decides *what* is true; this file only decides how to say it.
 */
import type { FindingCode } from "../findings/types";
import type { SourceLocation } from "../trace/schema";

export type Localized = { en: string; "zh-tw": string };

/** Short headings for lists and hovers. */
export const FINDING_TITLES: Record<FindingCode, Localized> = {
  "never-awaited": { en: "Coroutine never awaited", "zh-tw": "協程從未被 await" },
  "loop-blocked": { en: "Event loop blocked", "zh-tw": "事件迴圈被卡住" },
  "exception-never-retrieved": { en: "Task exception never retrieved", "zh-tw": "Task 的例外沒有人取回" },
  "pending-at-shutdown": { en: "Task still pending at shutdown", "zh-tw": "結束時 Task 仍在等待" },
  deadlock: { en: "Deadlock", "zh-tw": "死結" },
  "missed-concurrency": { en: "Missed concurrency", "zh-tw": "錯過的並行機會" },
  "slow-step": { en: "Slow step", "zh-tw": "過慢的步驟" },
};

export const FINDING_EXPLANATIONS: Record<FindingCode, Localized> = {
  "never-awaited": {
    en:
      "Calling an `async def` function only builds a coroutine object; nothing in its body runs until it is " +
      "awaited or wrapped in a Task. Put `await` in front of the call, or schedule it with " +
      "`asyncio.create_task(...)` and keep the Task.",
    "zh-tw":
      "呼叫 `async def` 函式只會產生協程物件,函式內容一行都不會執行;要 `await` 它,或包成 Task " +
      "交給事件迴圈,才會真的跑。在呼叫前加上 `await`,或用 `asyncio.create_task(...)` 排程並保留那個 Task。",
  },
  "loop-blocked": {
    en:
      "`time.sleep` and other blocking calls do not hand control back to the event loop: while they run, no " +
      "other task runs and no timer fires. `await asyncio.sleep(...)` does hand control back. Use async " +
      "libraries (aiohttp, httpx.AsyncClient) or `await asyncio.to_thread(...)` for work that must block.",
    "zh-tw":
      "`time.sleep` 這類同步阻塞呼叫不會把控制權交回事件迴圈:它執行期間,其他任務都跑不了,計時器也無法觸發;" +
      "`await asyncio.sleep(...)` 才會讓出控制權。改用非同步函式庫(aiohttp、httpx.AsyncClient)," +
      "非阻塞不可的工作交給 `await asyncio.to_thread(...)`。",
  },
  "exception-never-retrieved": {
    en:
      "A Task keeps its exception until someone awaits it or calls `.result()` / `.exception()`. Nobody did, so " +
      "the error was lost; asyncio only logs \"Task exception was never retrieved\" when the Task is garbage-" +
      "collected. Keep the Task and await it, or start it with `asyncio.gather` or a `TaskGroup`.",
    "zh-tw":
      "Task 會保存它的例外,直到有人 await 它或呼叫 `.result()` / `.exception()`。這次沒有人這樣做,錯誤就被吞掉了;" +
      "asyncio 只會在 Task 被回收時記錄一行 \"Task exception was never retrieved\"。保留 Task 並 await 它," +
      "或改用 `asyncio.gather`、`TaskGroup` 來啟動。",
  },
  "pending-at-shutdown": {
    en:
      "`asyncio.run` returns as soon as the main coroutine finishes, and cancels every Task still running, so " +
      "background work stops halfway without a word. Await the Tasks you start, or cancel them yourself and " +
      "await the cancellation, before main returns.",
    "zh-tw":
      "主協程一結束,`asyncio.run` 就會收尾,並取消所有還在跑的 Task,背景工作就這樣無聲無息地做到一半停下。" +
      "在 main 回傳前,await 你啟動的 Task,或自己取消它們並等待取消完成。",
  },
  deadlock: {
    en:
      "The event loop ran out of work: no task was ready and no timer was pending, so the remaining tasks " +
      "would wait forever. What each one waits on (an Event, a Queue item, a Lock, a Future, another Task) can " +
      "only come from another task, and none is left to provide it.",
    "zh-tw":
      "事件迴圈沒事可做了:沒有任務準備好,也沒有計時器,剩下的任務會永遠等下去。它們等的東西(Event、Queue 裡的資料、" +
      "Lock、Future、另一個 Task)只能由別的任務提供,而已經沒有任務能提供了。",
  },
  "missed-concurrency": {
    en:
      "Awaiting a coroutine runs it to the end before the next line starts, so independent waits add up. Wrap " +
      "them in Tasks (`asyncio.gather(...)`, `asyncio.create_task`, a `TaskGroup`) and the waits overlap: the " +
      "total becomes the slowest one instead of the sum.",
    "zh-tw":
      "await 一個協程會等它整個跑完才執行下一行,所以彼此無關的等待會線性相加。把它們包成 Task" +
      "(`asyncio.gather(...)`、`asyncio.create_task`、`TaskGroup`),等待就會重疊:總時間變成最慢的那一個,而不是全部加總。",
  },
  "slow-step": {
    en:
      "Multitasking in asyncio is cooperative: while one step runs, every other task waits for it to reach an " +
      "`await`. asyncio's debug mode reports any step that holds the loop for 100 ms or more. Split the work " +
      "with awaits, or move blocking calls to `asyncio.to_thread`.",
    "zh-tw":
      "asyncio 是合作式多工:一個步驟在跑的時候,其他任務都得等它走到下一個 `await`。asyncio 的除錯模式會回報" +
      "霸佔事件迴圈 100 ms 以上的步驟。用 await 把工作切開,或把阻塞呼叫移到 `asyncio.to_thread`。",
  },
};

/** "line 12" in the traced file, "helpers.py:12" elsewhere. */
function lineEn(location: SourceLocation | null | undefined, mainFile: string): string {
  if (!location) return "an unknown line";
  return location.file === mainFile ? `line ${location.line}` : `${baseName(location.file)}:${location.line}`;
}

function lineZh(location: SourceLocation | null | undefined, mainFile: string): string {
  if (!location) return "未知的行";
  return location.file === mainFile ? `第 ${location.line} 行` : `${baseName(location.file)} 第 ${location.line} 行`;
}

function linesEn(locations: SourceLocation[], mainFile: string): string {
  const parts = locations.map((l) => (l.file === mainFile ? String(l.line) : `${baseName(l.file)}:${l.line}`));
  const joined = parts.length <= 2 ? parts.join(" and ") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  return `${parts.length === 1 ? "line" : "lines"} ${joined}`;
}

function linesZh(locations: SourceLocation[], mainFile: string): string {
  const parts = locations.map((l) => (l.file === mainFile ? String(l.line) : `${baseName(l.file)} ${l.line}`));
  return `第 ${parts.join("、")} 行`;
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** "A, B and 3 more": long task lists stay one line. */
function listEn(items: string[], max = 3): string {
  if (items.length <= max) return items.length <= 2 ? items.join(" and ") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

function listZh(items: string[], max = 3): string {
  if (items.length <= max) return items.join("、");
  return `${items.slice(0, max).join("、")} 及另外 ${items.length - max} 個`;
}

export function neverAwaitedMessage(p: {
  coroutine: string;
  created: SourceLocation | null;
  createdBy: string | null;
  mainFile: string;
}): Localized {
  const by = p.createdBy ? ` (created by ${p.createdBy})` : "";
  const byZh = p.createdBy ? `(由 ${p.createdBy} 建立)` : "";
  if (!p.created) {
    return {
      en: `coroutine \`${p.coroutine}\` was never awaited: its body never ran${by}`,
      "zh-tw": `協程 \`${p.coroutine}\` 從未被 await:它的內容一行都沒有執行${byZh}`,
    };
  }
  return {
    en: `coroutine \`${p.coroutine}\` created at ${lineEn(p.created, p.mainFile)} was never awaited: its body never ran${by}`,
    "zh-tw": `${lineZh(p.created, p.mainFile)}建立的協程 \`${p.coroutine}\` 從未被 await:它的內容一行都沒有執行${byZh}`,
  };
}

export function loopBlockedMessage(p: {
  location: SourceLocation | null;
  call: string;
  count: number;
  total: string;
  late: { task: string; lateBy: string }[];
  ready: string[];
  mainFile: string;
}): Localized {
  let en =
    p.count === 1
      ? `${lineEn(p.location, p.mainFile)} blocked the event loop for ${p.total} (\`${p.call}\`)`
      : `${lineEn(p.location, p.mainFile)} blocked the event loop ${p.count} times, ${p.total} in total (\`${p.call}\`)`;
  let zh =
    p.count === 1
      ? `${lineZh(p.location, p.mainFile)}讓事件迴圈卡住了 ${p.total}(\`${p.call}\`)`
      : `${lineZh(p.location, p.mainFile)}讓事件迴圈卡住了 ${p.count} 次,共 ${p.total}(\`${p.call}\`)`;
  const meanwhileEn: string[] = [];
  const meanwhileZh: string[] = [];
  if (p.late.length > 0) {
    meanwhileEn.push(listEn(p.late.map((l) => `${l.task} woke ${l.lateBy} late`)));
    meanwhileZh.push(listZh(p.late.map((l) => `${l.task} 晚了 ${l.lateBy} 才醒來`)));
  }
  if (p.ready.length > 0) {
    meanwhileEn.push(`${listEn(p.ready)} ${p.ready.length === 1 ? "was" : "were"} ready but could not run`);
    meanwhileZh.push(`${listZh(p.ready)} 已準備好卻不能執行`);
  }
  if (meanwhileEn.length > 0) {
    en += `; meanwhile ${meanwhileEn.join("; ")}`;
    zh += `;這段期間 ${meanwhileZh.join(";")}`;
  }
  return { en, "zh-tw": zh };
}

export function exceptionNeverRetrievedMessage(p: {
  task: string;
  exception: string;
  raised: SourceLocation | null;
  created: SourceLocation | null;
  mainFile: string;
}): Localized {
  const at = p.raised ? ` at ${lineEn(p.raised, p.mainFile)}` : "";
  const atZh = p.raised ? `在${lineZh(p.raised, p.mainFile)}` : "";
  const created = p.created ? ` (task created at ${lineEn(p.created, p.mainFile)})` : "";
  const createdZh = p.created ? `(Task 建立於${lineZh(p.created, p.mainFile)})` : "";
  return {
    en: `${p.task} raised ${p.exception}${at} and nobody retrieved it${created}`,
    "zh-tw": `${p.task} ${atZh}拋出 ${p.exception},卻沒有人取回這個例外${createdZh}`,
  };
}

export function pendingAtShutdownMessage(p: {
  tasks: string[];
  location: SourceLocation | null;
  awaiting: string | null;
  /** "cancelled": cancelled by asyncio.run; "destroyed": the loop went away with the task pending. */
  fate: "cancelled" | "destroyed";
  mainFile: string;
}): Localized {
  const one = p.tasks.length === 1;
  const who = one ? p.tasks[0] : `${p.tasks.length} tasks (${listEn(p.tasks)})`;
  const whoZh = one ? p.tasks[0] : `${p.tasks.length} 個 Task(${listZh(p.tasks)})`;
  const on = p.awaiting ? ` on \`${p.awaiting}\`` : "";
  const onZh = p.awaiting ? ` \`${p.awaiting}\`` : "";
  if (p.fate === "destroyed") {
    return {
      en: `${who} ${one ? "was" : "were"} still waiting${on} at ${lineEn(p.location, p.mainFile)} when the loop was closed, and ${one ? "was" : "were"} destroyed while pending`,
      "zh-tw": `事件迴圈關閉時,${whoZh} 還停在${lineZh(p.location, p.mainFile)}等待${onZh},就在等待中被銷毀了`,
    };
  }
  return {
    en: `${who} ${one ? "was" : "were"} still waiting${on} at ${lineEn(p.location, p.mainFile)} when asyncio.run returned, and ${one ? "was" : "were"} cancelled`,
    "zh-tw": `asyncio.run 結束時,${whoZh} 還停在${lineZh(p.location, p.mainFile)}等待${onZh},於是被取消了`,
  };
}

/** Why nothing can wake a deadlocked waiter, by what it waits on. */
export function deadlockReason(kind: string, label: string, waitedOn: string[]): Localized {
  const lower = label.toLowerCase();
  switch (kind) {
    case "event":
      return { en: "no task is left that could set the event", "zh-tw": "已經沒有任務能 set 這個 Event" };
    case "queue":
      if (lower.includes("put"))
        return { en: "the queue is full and no task is left to take from it", "zh-tw": "佇列已滿,也沒有任務會再取出資料" };
      if (lower.includes("join"))
        return {
          en: "items are still unfinished and no task is left to call task_done()",
          "zh-tw": "還有資料沒處理完,卻沒有任務會再呼叫 task_done()",
        };
      return { en: "the queue is empty and no task is left that could put into it", "zh-tw": "佇列是空的,也沒有任務會再放資料進去" };
    case "lock":
      return { en: "no task is left that could release it", "zh-tw": "已經沒有任務能釋放它" };
    case "future":
      return { en: "no task is left that could set the Future's result", "zh-tw": "已經沒有任務能設定這個 Future 的結果" };
    case "barrier":
      return { en: "not enough tasks are left to reach the barrier", "zh-tw": "剩下的任務不夠,湊不齊 Barrier 的人數" };
    case "task":
    case "gather":
    case "wait":
      if (waitedOn.length > 0)
        return {
          en: `it waits on ${listEn(waitedOn)}, which ${waitedOn.length === 1 ? "is" : "are"} stuck too`,
          "zh-tw": `它在等 ${listZh(waitedOn)},而${waitedOn.length === 1 ? "它" : "它們"}也卡住了`,
        };
      return { en: "what it waits on is stuck too", "zh-tw": "它等待的對象也卡住了" };
    default:
      return { en: "nothing is left that could wake it", "zh-tw": "已經沒有東西能喚醒它" };
  }
}

export function deadlockMessage(p: {
  task: string;
  awaiting: string | null;
  location: SourceLocation | null;
  reason: Localized;
  mainFile: string;
}): Localized {
  const on = p.awaiting ? ` on \`${p.awaiting}\`` : "";
  const onZh = p.awaiting ? ` \`${p.awaiting}\`` : "";
  return {
    en: `deadlock: ${p.task} waits forever${on} at ${lineEn(p.location, p.mainFile)}; ${p.reason.en}`,
    "zh-tw": `死結:${p.task} 在${lineZh(p.location, p.mainFile)}永遠等待${onZh};${p.reason["zh-tw"]}`,
  };
}

/** What the tracer knows about the task holding a Lock that a deadlocked task waits for. */
export interface LockHolder {
  /** "Task-3 (worker('b'))" */
  task: string;
  /** The waiting task holds the lock itself: asyncio.Lock is not reentrant. */
  heldBySelf: boolean;
  /** The holder is stuck in the same deadlock: what it waits on, and where. */
  stuck: { awaiting: string | null; location: SourceLocation | null } | null;
  /** The holder finished (returned, raised or was cancelled) without releasing the lock. */
  ended: boolean;
  mainFile: string;
}

/** Why a task waiting on Lock.acquire can never get it, when the tracer saw who took the lock. */
export function lockHeldReason(h: LockHolder): Localized {
  if (h.heldBySelf)
    return {
      en: "it already holds this lock itself, and asyncio.Lock is not reentrant",
      "zh-tw": "這個鎖已經由它自己持有,而 asyncio.Lock 不能重複取得",
    };
  if (h.stuck) {
    const on = h.stuck.awaiting ? ` on \`${h.stuck.awaiting}\`` : "";
    const onZh = h.stuck.awaiting ? ` \`${h.stuck.awaiting}\`` : "";
    return {
      en: `the lock is held by ${h.task}, which is itself stuck waiting${on} at ${lineEn(h.stuck.location, h.mainFile)}`,
      "zh-tw": `鎖由 ${h.task} 持有,而它自己也卡在${lineZh(h.stuck.location, h.mainFile)}等待${onZh}`,
    };
  }
  if (h.ended)
    return {
      en: `the lock is held by ${h.task}, which ended without releasing it`,
      "zh-tw": `鎖由 ${h.task} 持有,但它已經結束,沒有釋放這個鎖`,
    };
  return { en: `the lock is held by ${h.task}, which never releases it`, "zh-tw": `鎖由 ${h.task} 持有,而它一直沒有釋放` };
}

/** A related entry of a deadlock finding: another stuck task, at the line where it waits. */
export function deadlockRelatedMessage(p: { task: string; awaiting: string | null; heldBy: string | null }): Localized {
  const held = p.heldBy ? ` (held by ${p.heldBy})` : "";
  const heldZh = p.heldBy ? `(鎖由 ${p.heldBy} 持有)` : "";
  return {
    en: `${p.task} waits here${p.awaiting ? ` on ${p.awaiting}${held}` : ""}`,
    "zh-tw": `${p.task} 在這裡等待${p.awaiting ? ` ${p.awaiting}${heldZh}` : ""}`,
  };
}

export function deadlockWithoutWaitersMessage(): Localized {
  return {
    en: "deadlock: nothing was ready and no timer was pending, so the loop would have waited forever",
    "zh-tw": "死結:沒有任務準備好,也沒有計時器,事件迴圈會永遠等下去",
  };
}

export function missedConcurrencyMessage(p: {
  task: string;
  awaits: SourceLocation[];
  sequential: string;
  gathered: string;
  mainFile: string;
}): Localized {
  const n = p.awaits.length;
  return {
    en: `these ${n} awaits at ${linesEn(p.awaits, p.mainFile)} in ${p.task} ran one after another for ${p.sequential} while the loop sat idle; gathered they would take ${p.gathered}`,
    "zh-tw": `${p.task} 在${linesZh(p.awaits, p.mainFile)}的 ${n} 個 await 一個接一個跑了 ${p.sequential},期間事件迴圈閒著;用 gather 一起等只要 ${p.gathered}`,
  };
}

export function slowStepMessage(p: {
  tasks: string[];
  count: number;
  longest: string;
  from: SourceLocation | null;
  to: SourceLocation | null;
  blockingLines: SourceLocation[];
  mainFile: string;
}): Localized {
  const range = p.to && p.from && p.to.line !== p.from.line ? ` from ${lineEn(p.from, p.mainFile)} to ${lineEn(p.to, p.mainFile)}` : ` at ${lineEn(p.from, p.mainFile)}`;
  const rangeZh =
    p.to && p.from && p.to.line !== p.from.line ? `從${lineZh(p.from, p.mainFile)}到${lineZh(p.to, p.mainFile)}` : `在${lineZh(p.from, p.mainFile)}`;
  const blocking = p.blockingLines.length > 0 ? ` (blocking calls at ${linesEn(p.blockingLines, p.mainFile)})` : "";
  const blockingZh = p.blockingLines.length > 0 ? `(阻塞呼叫在${linesZh(p.blockingLines, p.mainFile)})` : "";
  const tasks = listEn(p.tasks, 2);
  const tasksZh = listZh(p.tasks, 2);
  if (p.count === 1) {
    return {
      en: `a step of ${tasks} ran ${p.longest} without yielding${range}${blocking}`,
      "zh-tw": `${tasksZh} 的一個步驟${rangeZh}連續跑了 ${p.longest},沒有讓出控制權${blockingZh}`,
    };
  }
  return {
    en: `${p.count} steps of ${tasks} ran up to ${p.longest} each without yielding${range}${blocking}`,
    "zh-tw": `${tasksZh} 有 ${p.count} 個步驟${rangeZh}各自連續跑了最多 ${p.longest},沒有讓出控制權${blockingZh}`,
  };
}

// Labels of a finding's related places (the links listed under it in the Problems panel).

export function taskCreatedHereMessage(task: string): Localized {
  return { en: `${task} was created here`, "zh-tw": `${task} 在這裡建立` };
}

export function definedHereMessage(what: string): Localized {
  return { en: `${what} is defined here`, "zh-tw": `${what} 定義在這裡` };
}

export function warningReportedHereMessage(): Localized {
  return { en: "CPython reported the warning here", "zh-tw": "CPython 在這裡發出警告" };
}

export function runsInTaskMessage(task: string): Localized {
  return { en: `runs in ${task}`, "zh-tw": `在 ${task} 裡執行` };
}

export function thenWaitedHereMessage(duration: string): Localized {
  return { en: `then waited ${duration} here`, "zh-tw": `接著在這裡等了 ${duration}` };
}

export function blockingCallInStepMessage(): Localized {
  return { en: "blocking call in this step", "zh-tw": "這個步驟裡的阻塞呼叫" };
}
