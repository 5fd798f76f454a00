/** Hover explanations for `async`, `await` and the asyncio APIs a learner meets first, in our own words (en, zh-tw). */
import type { Lang } from "../analysis/types";

const DOCS = "https://docs.python.org/3/library/";

interface HoverEntry {
  en: string;
  "zh-tw": string;
  /** A tiny example, the same in both languages. */
  example?: string;
  docs: string;
}

export const HOVER_ENTRIES: Record<string, HoverEntry> = {
  async: {
    en: "`async def` declares a coroutine function. Calling it runs nothing yet: it returns a coroutine object, which runs only when awaited, wrapped in a Task, or passed to `asyncio.run`.",
    "zh-tw": "`async def` 宣告協程函式。呼叫它時什麼都還沒執行,只會回傳協程物件;要被 await、包成 Task,或交給 `asyncio.run`,它才會真的跑。",
    example: "async def fetch():\n    await asyncio.sleep(1)\n\ncoro = fetch()   # nothing has run yet",
    docs: `${DOCS}asyncio-task.html#coroutines`,
  },
  await: {
    en: "`await x` runs the awaitable `x` until it finishes and gives its result. Awaiting a coroutine runs it right here, in the same task, and does not by itself yield to the loop; only when something inside really waits (a sleep, I/O, a Future, a Task) does the loop get to run other tasks. Awaiting a Task always lets the loop switch.",
    "zh-tw": "`await x` 會把可等待物件 `x` 跑完並取得結果。await 一個協程是在同一個任務裡直接執行它,本身不會把控制權交還給迴圈;只有裡面真的在等(sleep、I/O、Future、Task)時,迴圈才有機會去跑其他任務。await 一個 Task 則一定會讓迴圈切換。",
    example: "await coro()                      # runs inline, no switch by itself\nawait asyncio.create_task(coro())  # the loop schedules it as a task",
    docs: "https://docs.python.org/3/reference/expressions.html#await",
  },
  run: {
    en: "`asyncio.run(coro)` is the program's entry point: it creates an event loop, runs `coro` to completion, then cancels leftover tasks and closes the loop. It cannot be called while a loop is already running (inside a coroutine or a notebook).",
    "zh-tw": "`asyncio.run(coro)` 是程式的入口:建立事件迴圈、把 `coro` 跑完,再取消剩下的任務並關閉迴圈。已經有迴圈在跑的時候(協程裡或 notebook 中)不能呼叫它。",
    example: "asyncio.run(main())",
    docs: `${DOCS}asyncio-runner.html#asyncio.run`,
  },
  gather: {
    en: "`asyncio.gather(*aws)` wraps each coroutine in a Task so they run concurrently, and waits for all of them. Its result is the list of results in the order given. Awaiting it yields to the loop.",
    "zh-tw": "`asyncio.gather(*aws)` 把每個協程包成 Task 同時執行,並等它們全部完成,結果依傳入順序排成 list。await 它會把控制權交給迴圈。",
    example: "a, b = await asyncio.gather(fetch('A'), fetch('B'))",
    docs: `${DOCS}asyncio-task.html#asyncio.gather`,
  },
  create_task: {
    en: "`asyncio.create_task(coro)` schedules `coro` to run as a Task soon and returns the Task at once; the current code keeps running. Keep a reference to the Task (or use a TaskGroup), and await it to get its result or exception.",
    "zh-tw": "`asyncio.create_task(coro)` 把 `coro` 排進待辦、包成 Task,並立刻回傳 Task;目前的程式繼續往下跑。要保留 Task 的參考(或使用 TaskGroup),並 await 它取得結果或例外。",
    example: "task = asyncio.create_task(worker())\n...\nresult = await task",
    docs: `${DOCS}asyncio-task.html#asyncio.create_task`,
  },
  sleep: {
    en: "`asyncio.sleep(s)` returns a coroutine that waits `s` seconds without blocking the loop; it does nothing unless awaited. `await asyncio.sleep(0)` is the usual way to let other tasks run for a moment.",
    "zh-tw": "`asyncio.sleep(s)` 回傳一個會等 `s` 秒、但不卡住迴圈的協程;沒有 await 就什麼都不做。`await asyncio.sleep(0)` 是讓其他任務先跑一下的常見寫法。",
    docs: `${DOCS}asyncio-task.html#asyncio.sleep`,
  },
  wait_for: {
    en: "`asyncio.wait_for(aw, timeout)` waits for `aw` but gives up after `timeout` seconds: it cancels `aw` and raises `TimeoutError`. Awaiting it yields to the loop.",
    "zh-tw": "`asyncio.wait_for(aw, timeout)` 等待 `aw`,超過 `timeout` 秒就放棄:取消 `aw` 並丟出 `TimeoutError`。await 它會把控制權交給迴圈。",
    example: "try:\n    await asyncio.wait_for(fetch(), timeout=2)\nexcept TimeoutError:\n    print('too slow')",
    docs: `${DOCS}asyncio-task.html#asyncio.wait_for`,
  },
  wait: {
    en: "`asyncio.wait(tasks, return_when=...)` waits for a set of Tasks and returns two sets, `(done, pending)`. It does not cancel what is still pending and does not raise the tasks' exceptions; you inspect them.",
    "zh-tw": "`asyncio.wait(tasks, return_when=...)` 等待一組 Task,回傳兩個集合 `(done, pending)`。它不會取消還沒完成的任務,也不會替你丟出任務的例外,要自己檢查。",
    docs: `${DOCS}asyncio-task.html#asyncio.wait`,
  },
  as_completed: {
    en: "`asyncio.as_completed(aws)` lets you handle results in the order they finish rather than the order given. Each item it yields must be awaited to get the next result.",
    "zh-tw": "`asyncio.as_completed(aws)` 讓你依完成的先後處理結果,而不是依傳入順序。它產出的每一項都要 await 才拿得到下一個結果。",
    example: "for next_done in asyncio.as_completed(coros):\n    print(await next_done)",
    docs: `${DOCS}asyncio-task.html#asyncio.as_completed`,
  },
  timeout: {
    en: "`async with asyncio.timeout(s):` cancels the block if it runs longer than `s` seconds and raises `TimeoutError` at the `async with`. Cancellation happens only at an await inside the block.",
    "zh-tw": "`async with asyncio.timeout(s):` 區塊執行超過 `s` 秒就會被取消,並在 `async with` 處丟出 `TimeoutError`。取消只會發生在區塊裡的 await。",
    example: "async with asyncio.timeout(2):\n    await fetch()",
    docs: `${DOCS}asyncio-task.html#asyncio.timeout`,
  },
  TaskGroup: {
    en: "`asyncio.TaskGroup` starts tasks with `tg.create_task(...)` and, at the end of the `async with`, waits for all of them. If one fails, the others are cancelled and the errors are raised together as an ExceptionGroup.",
    "zh-tw": "`asyncio.TaskGroup` 用 `tg.create_task(...)` 啟動任務,並在 `async with` 結束時等它們全部完成。只要有一個失敗,其他的會被取消,錯誤會集合成 ExceptionGroup 一起丟出。",
    example: "async with asyncio.TaskGroup() as tg:\n    tg.create_task(fetch('A'))\n    tg.create_task(fetch('B'))",
    docs: `${DOCS}asyncio-task.html#asyncio.TaskGroup`,
  },
  Task: {
    en: "A `Task` runs a coroutine on the event loop independently of whoever created it. Awaiting a Task waits for it to finish and always lets the loop run other tasks meanwhile; `task.cancel()` asks it to stop at its next await.",
    "zh-tw": "`Task` 在事件迴圈上獨立執行一個協程,不受建立者牽制。await 一個 Task 會等它完成,期間迴圈一定會去跑其他任務;`task.cancel()` 會要求它在下一個 await 停下。",
    docs: `${DOCS}asyncio-task.html#asyncio.Task`,
  },
  Future: {
    en: "A `Future` is a placeholder for a result that arrives later; awaiting it suspends the task until someone calls `set_result` or `set_exception`. Application code rarely makes Futures directly; Tasks are Futures.",
    "zh-tw": "`Future` 是稍後才會有結果的占位物件;await 它會讓任務暫停,直到有人呼叫 `set_result` 或 `set_exception`。應用程式很少直接建立 Future,Task 本身就是一種 Future。",
    docs: `${DOCS}asyncio-future.html#asyncio.Future`,
  },
  Queue: {
    en: "`asyncio.Queue` passes items between tasks. `await queue.get()` suspends until an item is there, and `await queue.put(x)` suspends while a bounded queue is full, so producers and consumers take turns on the loop.",
    "zh-tw": "`asyncio.Queue` 在任務之間傳遞資料。`await queue.get()` 會等到有資料才繼續,有上限的佇列滿了時 `await queue.put(x)` 也會等,生產者與消費者就這樣在迴圈上輪流執行。",
    docs: `${DOCS}asyncio-queue.html#asyncio.Queue`,
  },
  Lock: {
    en: "`asyncio.Lock` lets one task at a time into a section: `async with lock:`. Waiting for the lock suspends only this task, never the loop; it is not thread-safe.",
    "zh-tw": "`asyncio.Lock` 讓一次只有一個任務進入某段程式:`async with lock:`。等鎖只會暫停這個任務,不會卡住迴圈;它不是執行緒安全的。",
    docs: `${DOCS}asyncio-sync.html#asyncio.Lock`,
  },
  Event: {
    en: "`asyncio.Event` lets tasks wait for a signal: `await event.wait()` suspends until some other code calls `event.set()`. It replaces polling a flag with sleeps.",
    "zh-tw": "`asyncio.Event` 讓任務等待一個訊號:`await event.wait()` 會暫停,直到其他程式呼叫 `event.set()`。它可以取代用 sleep 輪詢旗標的寫法。",
    docs: `${DOCS}asyncio-sync.html#asyncio.Event`,
  },
  Semaphore: {
    en: "`asyncio.Semaphore(n)` lets at most `n` tasks into a section at once, for example to limit concurrent downloads: `async with sem:`. The others wait without blocking the loop.",
    "zh-tw": "`asyncio.Semaphore(n)` 讓同時最多 `n` 個任務進入某段程式,例如限制同時下載的數量:`async with sem:`。其他任務會等待,但不會卡住迴圈。",
    docs: `${DOCS}asyncio-sync.html#asyncio.Semaphore`,
  },
  shield: {
    en: "`asyncio.shield(aw)` protects `aw` from being cancelled when the task awaiting it is cancelled: the awaiting task still gets `CancelledError`, but `aw` keeps running.",
    "zh-tw": "`asyncio.shield(aw)` 讓 `aw` 不會因為等待它的任務被取消而跟著取消:等待的任務仍會收到 `CancelledError`,但 `aw` 會繼續執行。",
    docs: `${DOCS}asyncio-task.html#asyncio.shield`,
  },
  to_thread: {
    en: "`asyncio.to_thread(func, *args)` runs a blocking function in a worker thread and returns a coroutine for its result. Awaiting it yields to the loop, so other tasks keep running while `func` blocks.",
    "zh-tw": "`asyncio.to_thread(func, *args)` 在工作執行緒裡執行會阻塞的函式,並回傳取得結果的協程。await 它會把控制權交給迴圈,`func` 阻塞時其他任務照常執行。",
    example: "page = await asyncio.to_thread(requests.get, url)",
    docs: `${DOCS}asyncio-task.html#asyncio.to_thread`,
  },
  get_running_loop: {
    en: "`asyncio.get_running_loop()` returns the event loop running the current task, and raises `RuntimeError` when called outside of one. It does not suspend.",
    "zh-tw": "`asyncio.get_running_loop()` 回傳正在執行目前任務的事件迴圈;在迴圈外呼叫會丟出 `RuntimeError`。它不會暫停。",
    docs: `${DOCS}asyncio-eventloop.html#asyncio.get_running_loop`,
  },
};

const DOCS_LABEL: Record<Lang, string> = { en: "Python documentation", "zh-tw": "Python 官方文件" };

/** Markdown for a hover on `name` (a keyword or an asyncio API name), or undefined if we have nothing to say. */
export function hoverMarkdown(name: string, lang: Lang): string | undefined {
  const entry = Object.prototype.hasOwnProperty.call(HOVER_ENTRIES, name) ? HOVER_ENTRIES[name] : undefined;
  if (!entry) return undefined;
  const parts = [entry[lang]];
  if (entry.example) parts.push("```python\n" + entry.example + "\n```");
  parts.push(`[${DOCS_LABEL[lang]}](${entry.docs})`);
  return parts.join("\n\n");
}
