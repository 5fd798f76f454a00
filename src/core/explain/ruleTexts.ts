/** Diagnostic messages, hover explanations and fix titles for the static rules, in English and 繁體中文. */
import type { FixKind, Lang, RuleCode } from "../analysis/types";

export const RULE_DOCS_BASE = "https://github.com/asyncio-trace/asyncio-trace#";

/** README anchor of a rule's section (`### \`code\`` renders as `#code`). */
export function ruleDocsUrl(code: RuleCode): string {
  return RULE_DOCS_BASE + code;
}

interface RuleText {
  /** One sentence on what happens at run time. `{0}` is the subject (a callee's name) when there is one. */
  message: string;
  /** Why it is a mistake, for the diagnostic hover. */
  why: string;
  before: string;
  after: string;
}

type Texts = Record<RuleCode, RuleText>;

const en: Texts = {
  "await-outside-async": {
    message: "`{0}` is only allowed inside an `async def`; Python rejects the file with a SyntaxError before anything runs.",
    why: "Only a coroutine can pause at `await`. Module-level code, a plain `def`, a lambda and a class body run synchronously, so Python refuses to compile them with `await`, `async for` or `async with` inside. Put the code in an `async def` and start it with `asyncio.run`.",
    before: "await asyncio.sleep(1)",
    after: "async def main():\n    await asyncio.sleep(1)\n\n\nasyncio.run(main())",
  },
  "unawaited-coroutine": {
    message: "`{0}()` creates a coroutine object that is thrown away; its body never runs (Python warns \"coroutine was never awaited\").",
    why: "Calling an `async def` function does not run it: it only builds a coroutine object. The body runs when the object is awaited, wrapped in a task, or handed to `asyncio.run`. Dropping the object means the work silently never happens.",
    before: "async def main():\n    asyncio.sleep(3)",
    after: "async def main():\n    await asyncio.sleep(3)",
  },
  "blocking-sleep": {
    message: "`time.sleep` blocks the whole event loop: no other task can run until it returns.",
    why: "`time.sleep` holds the thread, and the event loop runs on that thread. While it sleeps, every other task is frozen too, so the program loses all concurrency. `await asyncio.sleep(...)` pauses only this task and lets the loop run the others.",
    before: "async def worker():\n    time.sleep(1)",
    after: "async def worker():\n    await asyncio.sleep(1)",
  },
  "await-non-awaitable": {
    message: "`{0}()` is a plain function, so `await` gets its return value and fails with TypeError: object can't be used in 'await' expression.",
    why: "Only coroutine objects, Tasks, Futures and objects with `__await__` can be awaited. A plain function runs to the end when called and returns an ordinary value (often `None`), which `await` rejects at run time.",
    before: "await time.sleep(3)",
    after: "await asyncio.sleep(3)",
  },
  "run-in-running-loop": {
    message: "`asyncio.run` cannot start a loop while one is already running; it raises RuntimeError.",
    why: "`asyncio.run` creates a new event loop and runs it to completion. Inside a coroutine, or in a notebook cell where the kernel already runs a loop, a loop is running on this thread, so it refuses. Await the coroutine instead.",
    before: "async def main():\n    asyncio.run(fetch())",
    after: "async def main():\n    await fetch()",
  },
  "blocking-call-in-async": {
    message: "`{0}` does blocking I/O: the event loop stops until it returns, and every other task waits.",
    why: "Synchronous network, subprocess, file and console calls do not yield to the loop. Inside a coroutine they freeze all tasks for as long as they take. Use an async library (aiohttp, `httpx.AsyncClient`, `asyncio.create_subprocess_exec`) or move the call to a thread with `await asyncio.to_thread(...)`.",
    before: "async def fetch(url):\n    return requests.get(url)",
    after: "async def fetch(url):\n    return await asyncio.to_thread(requests.get, url)",
  },
  "dangling-task": {
    message: "No reference to this task is kept: it may be garbage-collected before it finishes, and its exception is never seen.",
    why: "The event loop keeps only a weak reference to tasks. A task that nobody holds can disappear mid-run, and if it fails nobody awaits it to see the error. Keep tasks in a set and remove them when they are done, or use a `TaskGroup`.",
    before: "asyncio.create_task(worker())",
    after: "task = asyncio.create_task(worker())\nbackground_tasks.add(task)\ntask.add_done_callback(background_tasks.discard)",
  },
  "async-busy-wait": {
    message: "This loop polls with `asyncio.sleep`: it wakes up again and again to check, and reacts late; an `asyncio.Event` wakes it exactly when needed.",
    why: "Sleeping in a loop until a flag changes costs a wake-up per round and adds up to one sleep interval of delay. Whoever changes the flag can set an `asyncio.Event` instead, and this task can `await event.wait()`.",
    before: "while not ready:\n    await asyncio.sleep(0.1)",
    after: "await ready_event.wait()",
  },
  "timeout-without-await": {
    message: "This timeout can never fire: the body has no `await`, and a timeout can only cancel a task at an await.",
    why: "`asyncio.timeout` works by cancelling the task, and cancellation is delivered only where the task is suspended. A body that never awaits runs to the end however long it takes.",
    before: "async with asyncio.timeout(1):\n    time.sleep(5)",
    after: "async with asyncio.timeout(1):\n    await asyncio.sleep(5)",
  },
  "async-without-await": {
    message: "`{0}` never awaits, so it runs start to finish in one step and never lets other tasks run; it could be a plain `def`.",
    why: "A coroutine only gives control back to the loop at `await`, `async for` or `async with`. Without any, `async def` adds the cost of a coroutine and the need to await it, with no concurrency in return.",
    before: "async def total(xs):\n    return sum(xs)",
    after: "def total(xs):\n    return sum(xs)",
  },
};

const zhTw: Texts = {
  "await-outside-async": {
    message: "`{0}` 只能寫在 `async def` 裡;Python 會在執行任何程式之前就以 SyntaxError 拒絕這個檔案。",
    why: "只有協程能在 `await` 暫停。模組層級、一般 `def`、lambda 和 class 本體都是同步執行的,所以在裡面寫 `await`、`async for` 或 `async with` 會無法編譯。請把程式碼放進 `async def`,再用 `asyncio.run` 啟動。",
    before: en["await-outside-async"].before,
    after: en["await-outside-async"].after,
  },
  "unawaited-coroutine": {
    message: "`{0}()` 建立的協程物件被直接丟掉,函式本體永遠不會執行(Python 會警告 \"coroutine was never awaited\")。",
    why: "呼叫 `async def` 函式並不會執行它,只會產生一個協程物件。要等到它被 await、包成 Task,或交給 `asyncio.run`,本體才會開始跑。把物件丟掉,等於這段工作悄悄地沒有做。",
    before: en["unawaited-coroutine"].before,
    after: en["unawaited-coroutine"].after,
  },
  "blocking-sleep": {
    message: "`time.sleep` 會卡住整個事件迴圈:在它返回之前,其他任務都不能執行。",
    why: "`time.sleep` 會占住執行緒,而事件迴圈就在這個執行緒上跑。它睡覺的期間所有任務都跟著停住,並行完全失效。改用 `await asyncio.sleep(...)` 只會暫停目前這個任務,讓迴圈去跑其他任務。",
    before: en["blocking-sleep"].before,
    after: en["blocking-sleep"].after,
  },
  "await-non-awaitable": {
    message: "`{0}()` 是一般函式,`await` 拿到的是它的回傳值,執行時會丟出 TypeError: object can't be used in 'await' expression。",
    why: "只有協程物件、Task、Future 以及實作 `__await__` 的物件可以被 await。一般函式被呼叫時就會跑完並回傳普通的值(常常是 `None`),`await` 會在執行時拒絕它。",
    before: en["await-non-awaitable"].before,
    after: en["await-non-awaitable"].after,
  },
  "run-in-running-loop": {
    message: "已經有事件迴圈在執行時不能再用 `asyncio.run` 啟動新的迴圈,會丟出 RuntimeError。",
    why: "`asyncio.run` 會建立一個新的事件迴圈並跑到結束。在協程裡,或在 kernel 已經跑著迴圈的 notebook cell 裡,這個執行緒上已有迴圈在跑,所以它會拒絕。直接 await 那個協程就好。",
    before: en["run-in-running-loop"].before,
    after: en["run-in-running-loop"].after,
  },
  "blocking-call-in-async": {
    message: "`{0}` 會做阻塞式 I/O:在它返回前事件迴圈停擺,所有其他任務都得等。",
    why: "同步的網路、子行程、檔案與主控台呼叫不會把控制權交還給迴圈。在協程裡用它們,等多久所有任務就凍結多久。請改用非同步函式庫(aiohttp、`httpx.AsyncClient`、`asyncio.create_subprocess_exec`),或用 `await asyncio.to_thread(...)` 把呼叫移到執行緒裡。",
    before: en["blocking-call-in-async"].before,
    after: en["blocking-call-in-async"].after,
  },
  "dangling-task": {
    message: "沒有保留這個任務的參考:它可能在完成前就被垃圾回收,而且它丟出的例外永遠不會被看到。",
    why: "事件迴圈對任務只保留弱參考。沒人持有的任務可能執行到一半就消失,失敗時也沒有人 await 它來看到錯誤。請把任務放進一個 set,完成時再移除,或改用 `TaskGroup`。",
    before: en["dangling-task"].before,
    after: en["dangling-task"].after,
  },
  "async-busy-wait": {
    message: "這個迴圈用 `asyncio.sleep` 輪詢:一次又一次醒來檢查,反應也比較慢;`asyncio.Event` 能在需要的那一刻才叫醒它。",
    why: "在迴圈裡睡睡醒醒等旗標改變,每一輪都要醒來一次,還會多出最多一個睡眠間隔的延遲。改旗標的一方可以改成設定 `asyncio.Event`,這個任務則 `await event.wait()`。",
    before: en["async-busy-wait"].before,
    after: en["async-busy-wait"].after,
  },
  "timeout-without-await": {
    message: "這個逾時永遠不會生效:本體裡沒有 `await`,而逾時只能在 await 的地方取消任務。",
    why: "`asyncio.timeout` 靠取消任務來運作,而取消只會在任務暫停的地方送達。從不 await 的本體,不管跑多久都會一路跑完。",
    before: en["timeout-without-await"].before,
    after: en["timeout-without-await"].after,
  },
  "async-without-await": {
    message: "`{0}` 從不 await,所以它一口氣從頭跑到尾,不會讓其他任務執行;它可以是一般的 `def`。",
    why: "協程只在 `await`、`async for` 或 `async with` 把控制權交還給迴圈。一個都沒有的話,`async def` 只多了協程的成本和必須 await 的麻煩,卻換不到任何並行。",
    before: en["async-without-await"].before,
    after: en["async-without-await"].after,
  },
};

const RULE_TEXTS: Record<Lang, Texts> = { en, "zh-tw": zhTw };

/** Picks zh-tw for VS Code's `zh-tw` / `zh-hant` display languages, English otherwise. */
export function languageFor(displayLanguage: string | undefined): Lang {
  const lang = (displayLanguage ?? "").toLowerCase();
  return lang === "zh-tw" || lang.startsWith("zh-hant") || lang === "zh-hk" ? "zh-tw" : "en";
}

export function ruleText(code: RuleCode, lang: Lang): RuleText {
  return RULE_TEXTS[lang][code];
}

export function ruleMessage(code: RuleCode, lang: Lang, subject?: string): string {
  return RULE_TEXTS[lang][code].message.replace("{0}", subject ?? "");
}

const HEADINGS: Record<Lang, { before: string; after: string; docs: string }> = {
  en: { before: "Before", after: "After", docs: "Rule documentation" },
  "zh-tw": { before: "修改前", after: "修改後", docs: "規則說明" },
};

/** Markdown for hovering a diagnostic: why, a before/after snippet, and the docs link. */
export function diagnosticHoverMarkdown(code: RuleCode, lang: Lang): string {
  const text = RULE_TEXTS[lang][code];
  const h = HEADINGS[lang];
  return [
    `**asyncio-trace: \`${code}\`**`,
    "",
    text.why,
    "",
    `${h.before}:`,
    "```python",
    text.before,
    "```",
    `${h.after}:`,
    "```python",
    text.after,
    "```",
    `[${h.docs}](${ruleDocsUrl(code)})`,
  ].join("\n");
}

export const FIX_TITLES: Record<Lang, Record<FixKind, string>> = {
  en: {
    addAwait: "Add `await`",
    wrapInAsyncioRun: "Run it with `asyncio.run(...)`",
    useAsyncioSleep: "Use `await asyncio.sleep(...)`",
    wrapInAsyncMain: "Move into `async def main()` run by `asyncio.run`",
    makeDefAsync: "Make this function `async def`",
    replaceRunWithAwait: "Replace `asyncio.run(x)` with `await x`",
    keepTaskReference: "Keep a reference in `background_tasks`",
    removeAwait: "Remove `await`",
    runInThread: "Run it in a thread with `await asyncio.to_thread(...)`",
  },
  "zh-tw": {
    addAwait: "加上 `await`",
    wrapInAsyncioRun: "用 `asyncio.run(...)` 執行",
    useAsyncioSleep: "改用 `await asyncio.sleep(...)`",
    wrapInAsyncMain: "移進由 `asyncio.run` 執行的 `async def main()`",
    makeDefAsync: "把這個函式改成 `async def`",
    replaceRunWithAwait: "把 `asyncio.run(x)` 改成 `await x`",
    keepTaskReference: "在 `background_tasks` 保留參考",
    removeAwait: "移除 `await`",
    runInThread: "用 `await asyncio.to_thread(...)` 移到執行緒執行",
  },
};
