"""An asyncio event loop on the virtual clock.

It subclasses BaseEventLoop (no selector, no self-pipe sockets, which also suits Pyodide) and
replaces `_run_once`: where CPython would block in `select(timeout)`, this loop jumps the clock
exactly to the earliest timer's deadline. The rest of the loop (handles, timers, tasks, debug
mode, slow-callback reports) is CPython's own code.
"""
import asyncio
import heapq
import inspect
import itertools
import math
import threading
import weakref
from asyncio import base_events, events, futures
from asyncio.log import logger

from .clock import clock, real_perf_counter
from .recorder import TaskRecord, is_user_file, location_of, user_location
from .tracing import describe_coroutine, step_ended

import types as _types

_CoroutineType = _types.CoroutineType
_getframe = base_events.sys._getframe
_set_sleep_result = futures._set_result_unless_cancelled
# threading's own registries: reading their sizes is lock-free, unlike threading.active_count().
_active_threads = getattr(threading, "_active", {0: None, 1: None})
_starting_threads = getattr(threading, "_limbo", {})
_CLOCK_RESOLUTION = __import__("time").get_clock_info("monotonic").resolution
_INF = float("inf")
_NO_EVENTS = ()


def _ulp_exceeds_resolution():
    """The smallest clock value whose float spacing (ulp) is larger than the clock's resolution."""
    threshold = 1.0
    while math.ulp(threshold * 2) <= _CLOCK_RESOLUTION:
        threshold *= 2
    return threshold * 2


# Below this the loop's _clock_resolution stays CPython's; above it, it is widened to one ulp.
_ULP_EXCEEDS_RESOLUTION = _ulp_exceeds_resolution()

# Consecutive loop iterations in which tasks only polled (sleep(0) / bare yield) while a timer was
# pending and the clock did not move. Any step that waits on a future, or ends, is progress.
LIVELOCK_ITERATIONS = 20_000


# Coroutines asyncio.run runs as tasks while closing the loop: not the program's tasks. Compared
# by identity: `in` a set would hash the code object, which walks its constants on every task.
_SHUTDOWN_ASYNCGENS = base_events.BaseEventLoop.shutdown_asyncgens.__code__
_SHUTDOWN_EXECUTOR = base_events.BaseEventLoop.shutdown_default_executor.__code__


class TimerHandle(events.TimerHandle):
    """asyncio's TimerHandle, ordered by (deadline, scheduling order).

    On a virtual clock many timers share a deadline; CPython's heap alone would fire them in an
    arbitrary order, where on a real clock their deadlines differ by the time between the calls.
    """

    # _trace: (timer id, scheduling task id, label) for the timer-fired event, or None.
    __slots__ = ("_order", "_trace")

    def __lt__(self, other):
        # Only these handles are ever in the loop's heap; this runs ~log2(n) times per timer.
        try:
            when, other_when = self._when, other._when
            return when < other_when or (when == other_when and self._order < other._order)
        except AttributeError:
            return super().__lt__(other)

    def __le__(self, other):
        return not other < self if isinstance(other, TimerHandle) else super().__le__(other)

    def __gt__(self, other):
        return other < self if isinstance(other, TimerHandle) else super().__gt__(other)

    def __ge__(self, other):
        return not self < other if isinstance(other, TimerHandle) else super().__ge__(other)


TimerHandle.__module__ = "asyncio.events"


class StepHandle(events.Handle):
    """The handle of one step of a traced task (see _mark_step).

    Its _run is CPython's Handle._run with the tracer's work around it: recorder.current is the
    task while the step runs, and the step is recorded once it stopped. That method is compiled
    from CPython's own source (see _compile_step_run), so a traceback through it is the
    `events.py, line N, in _run` frame CPython shows, and a task's steps run one frame deep, as
    under CPython; the method below is the fallback when that source is unavailable.
    """

    __slots__ = ()

    def _run(self):
        loop = self._loop
        task = self._callback.__self__
        recorder = loop.recorder
        record = loop._task_records[id(task)]
        recorder.current = record
        t0 = clock.now
        w0 = recorder.step_clock = real_perf_counter()
        try:
            _run_handle(self)
        finally:
            recorder.current = None
            step_ended(loop, recorder, record, task, t0, w0)


# The tracer's work around a step, as StepHandle._run does it: set-up before CPython's `try:`,
# recording in a `finally:` added to it. Locals are prefixed so as not to meet Handle._run's own.
_STEP_SET_UP = ("_loop = self._loop; _task = self._callback.__self__; _recorder = _loop.recorder; "
                "_record = _loop._task_records[id(_task)]; _recorder.current = _record; _t0 = _clock.now; "
                "_w0 = _recorder.step_clock = _real_perf_counter()")
_STEP_RECORDING = "_recorder.current = None; _step_ended(_loop, _recorder, _record, _task, _t0, _w0)"


def _compile_step_run():
    """CPython's Handle._run source, compiled under events.py's file name and line numbers with the
    step's set-up and recording added on lines of their own: the call of the callback keeps its
    line and columns. None when the source is unavailable or not the expected shape."""
    try:
        lines, first_line = inspect.getsourcelines(events.Handle._run)
    except (OSError, TypeError):
        return None
    if (len(lines) < 4 or first_line < 3 or lines[0].strip() != "def _run(self):" or lines[1].strip() != "try:"
            or not lines[-1].strip().startswith("self = None")):
        return None
    indent = lines[1][:len(lines[1]) - len(lines[1].lstrip())]
    # The set-up takes the `def` line's place, so the `def` moves up one line; the `finally:`
    # goes after the last except clause, which only moves the closing `self = None`.
    source = ([lines[0], indent + _STEP_SET_UP + "\n"] + lines[1:-1]
              + [indent + "finally:\n", indent + "    " + _STEP_RECORDING + "\n", lines[-1]])
    namespace = dict(vars(events), _clock=clock, _real_perf_counter=real_perf_counter, _step_ended=step_ended)
    holder = "\n" * (first_line - 3) + "class Handle:\n" + "".join(source)
    try:
        exec(compile(holder, events.__file__, "exec"), namespace)
    except SyntaxError:
        return None
    run = namespace["Handle"].__dict__["_run"]
    run.__qualname__ = "Handle._run"
    return run


def _mark_step(handle):
    """A traced task's step callback, about to run, gets StepHandle's _run, which records it."""
    callback = handle._callback
    if type(callback) is _TaskStepCallback or callback.__name__ in _STEP_CALLBACK_NAMES:
        handle.__class__ = StepHandle


def _open_record(recorder, coro, parent_id, created, real_clock):
    """A new task's record and its task-created event, before the Task exists (an eager task's
    first step, run inside create_task, must come after its creation)."""
    label, defined = describe_coroutine(coro)
    record = TaskRecord(len(recorder.tasks) + 1, label, parent_id, created, defined)
    recorder.tasks.append(record)
    recorder.record(("task-created", clock.now, real_clock, record.id))
    return record


def _bind_record(recorder, record, task):
    """Ties the record to its Task, once that exists (live_name() follows later renames)."""
    record.name = task.get_name()
    record.task_ref = weakref.ref(task)
    recorder.task_by_object[id(task)] = record


def _origin_location(coro):
    """The program's line that created `coro`, from its cr_origin (None when origin tracking is off)."""
    for filename, line, _function in coro.cr_origin or ():
        if is_user_file(filename):
            return location_of(filename, line)
    return None


StepHandle.__name__ = StepHandle.__qualname__ = "Handle"
StepHandle.__module__ = "asyncio.events"
_run_handle = events.Handle._run
StepHandle._run = _compile_step_run() or StepHandle._run


class ProgramHalted(BaseException):
    """Raised by the engine to stop the program (deadlock, livelock); never caught by user code."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class Stopped(KeyboardInterrupt):
    """The wall-clock budget ran out or the user stopped the run.

    A KeyboardInterrupt so that Task.__step re-raises it instead of storing it in the task.
    """

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


_base_create_task = base_events.BaseEventLoop.create_task
_base_call_later = base_events.BaseEventLoop.call_later


async def _probe():
    pass


def _task_step_callback_type():
    """The type of the callback a C Task schedules for its next step (TaskStepMethWrapper).

    Found by creating a Task that never runs: named, so the Task-N counter is not used, and
    closed, so it leaves no warning or log behind.
    """
    loop = base_events.BaseEventLoop()
    coro = _probe()
    task = None
    try:
        task = asyncio.Task(coro, loop=loop, name="asyncio-trace probe")
        return type(loop._ready[-1]._callback)
    finally:
        coro.close()
        if task is not None:
            task._log_destroy_pending = False
            unregister = getattr(asyncio.tasks, "_unregister_task", None)
            if unregister is not None:
                unregister(task)
        loop._ready.clear()
        loop.close()


# A Task's step runs as one of these callbacks: the C Task's TaskStepMethWrapper (first step, after
# a bare yield, cancellation), its task_wakeup method (the awaited future is done), or the bound
# __step/__wakeup of the pure-Python Task. Other callbacks of these types are told apart by name.
_TaskStepCallback = _task_step_callback_type()
_STEP_CALLBACK_TYPES = frozenset((_TaskStepCallback, type(len), _types.MethodType))
_STEP_CALLBACK_NAMES = frozenset(("task_wakeup", "__step", "__wakeup", "_Task__step", "_Task__wakeup"))


class VirtualEventLoop(base_events.BaseEventLoop):
    recorder = None  # set by the runner before the program starts

    def __init__(self):
        super().__init__()
        # Traced tasks by id(): _run_once looks up every task step callback here.
        self._task_records = self.recorder.task_by_object if self.recorder is not None else {}
        self._last_sleep = None
        self._timer_order = itertools.count()
        self._pending_delay = None
        self._busy_iterations = 0
        self._progress = False
        self._iteration_clock = 0.0
        self._select_clock = None
        self._executor_jobs = 0
        self._wakeup = threading.Condition()
        self._woken = False

    def time(self):
        return clock.now

    # -- tasks ---------------------------------------------------------------------------------
    def create_task(self, coro, **kwargs):
        recorder = self.recorder
        if recorder is None or type(coro) is not _CoroutineType or recorder.halted:
            return super().create_task(coro, **kwargs)
        code = coro.cr_code
        if code is _SHUTDOWN_ASYNCGENS or code is _SHUTDOWN_EXECUTOR:
            return super().create_task(coro, **kwargs)
        parent = recorder.current
        record = _open_record(recorder, coro, parent.id if parent is not None else None, user_location(_getframe(1)),
                              recorder.step_clock if parent is not None else real_perf_counter())
        try:
            if self._task_factory is None and not kwargs.get("eager_start"):
                task = _base_create_task(self, coro, **kwargs)
            else:
                task = self._create_task_maybe_eager(recorder, record, coro, kwargs)
        except BaseException:
            recorder.tasks.remove(record)
            raise
        _bind_record(recorder, record, task)
        return task

    def _create_task_maybe_eager(self, recorder, record, coro, kwargs):
        """A task that may start at once, inside create_task: made by a task factory
        (eager_task_factory), or with eager_start=True (3.14+). That first step is the new
        task's, and is recorded as such."""
        previous, previous_clock = recorder.current, recorder.step_clock
        recorder.current = record
        t0 = clock.now
        w0 = recorder.step_clock = real_perf_counter()
        try:
            task = _base_create_task(self, coro, **kwargs)
        finally:
            recorder.current, recorder.step_clock = previous, previous_clock
        if task.done() or coro.cr_suspended:
            step_ended(self, recorder, record, task, t0, w0)
        return task

    def _adopt_step(self, handle):
        """A step of a task the tracer does not know yet: traced from here if it is a first step."""
        callback = handle._callback
        if type(callback) is not _TaskStepCallback and getattr(callback, "__name__", None) not in _STEP_CALLBACK_NAMES:
            return
        if self._adopt_task(callback.__self__) is not None:
            _mark_step(handle)

    def _adopt_task(self, task):
        """Traces a task unknown to the tracer, one that never went through create_task; returns its
        TaskRecord, or None.

        `asyncio.Task(coro)` called directly schedules the task's first step itself. Such a task is
        taken on when it is first seen: as its first step leaves the ready queue, or earlier when
        another task awaits it. Its coroutine has not started then, so its label still shows the
        arguments it was called with. Who created it is not known; where is the line that made its
        coroutine (cr_origin, from the runner's origin tracking).
        """
        recorder = self.recorder
        if recorder is None or recorder.halted:
            return None
        if not isinstance(task, asyncio.Task) or task.get_loop() is not self:
            return None
        coro = task.get_coro()
        if type(coro) is not _CoroutineType or coro.cr_running or coro.cr_suspended or coro.cr_frame is None:
            return None  # only a task that has not taken its first step
        code = coro.cr_code
        if code is _SHUTDOWN_ASYNCGENS or code is _SHUTDOWN_EXECUTOR:
            return None
        record = _open_record(recorder, coro, None, _origin_location(coro), real_perf_counter())
        _bind_record(recorder, record, task)
        return record

    def call_exception_handler(self, context):
        recorder = self.recorder
        future = context.get("future") if isinstance(context, dict) else None
        if recorder is not None and future is not None:
            record = recorder.record_for(future)
            if record is not None and context.get("message") == "Task exception was never retrieved":
                record.unretrieved = True
        return super().call_exception_handler(context)

    # -- timers --------------------------------------------------------------------------------
    def call_later(self, delay, callback, *args, context=None):
        # CPython's own call_later does the work (its frame and lines are what a bad delay's
        # traceback shows); call_at labels sleeps with the delay noted here.
        self._pending_delay = delay
        try:
            return _base_call_later(self, delay, callback, *args, context=context)
        finally:
            self._pending_delay = None

    def call_at(self, when, callback, *args, context=None):
        # BaseEventLoop.call_at, with a handle that keeps scheduling order among equal deadlines.
        delay = self._pending_delay  # set by call_later around this call, else None
        self._pending_delay = None
        if when is None:
            raise TypeError("when cannot be None")
        self._check_closed()
        if self._debug:
            self._check_thread()
            self._check_callback(callback, "call_at")
        timer = TimerHandle(when, callback, args, self, context)
        timer._order = next(self._timer_order)
        if timer._source_traceback:
            del timer._source_traceback[-1]
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        recorder = self.recorder
        if recorder is not None and not recorder.halted:
            timer_id = recorder.next_timer_id
            recorder.next_timer_id = timer_id + 1
            current = recorder.current
            task_id = current.id if current is not None else None
            if callback is _set_sleep_result and delay is not None:
                label = "sleep(%r)" % (delay,)
                # The step that awaits this sleep's future takes this as its AwaitTarget.
                self._last_sleep = (args[0], {"kind": "sleep", "label": label, "delay": delay})
            else:
                label = getattr(callback, "__qualname__", None) or type(callback).__name__
            timer._trace = (timer_id, task_id, label)
            recorder.record(("timer-scheduled", clock.now,
                             recorder.step_clock if current is not None else real_perf_counter(), timer_id,
                             when if when == when and when != _INF else None, task_id, label))
        else:
            timer._trace = None
        return timer

    # -- threads (run_in_executor / to_thread): the loop waits for them in real time -------------
    def run_in_executor(self, executor, func, *args):
        future = super().run_in_executor(executor, func, *args)
        self._executor_jobs += 1
        future.add_done_callback(self._executor_job_done)
        return future

    def _executor_job_done(self, _future):
        self._executor_jobs -= 1

    def _write_to_self(self):
        with self._wakeup:
            self._woken = True
            self._wakeup.notify_all()

    def _process_events(self, event_list):
        pass

    def _threads_may_wake_us(self):
        if self._executor_jobs > 0:
            return True
        if len(_active_threads) <= 1 and not _starting_threads:
            return False
        executor_threads = getattr(self._default_executor, "_threads", ())
        main = threading.main_thread()
        current = threading.current_thread()
        for thread in threading.enumerate():
            if thread is not main and thread is not current and not thread.daemon and thread not in executor_threads:
                return True
        return False

    def _wait_for_threads(self):
        with self._wakeup:
            while not self._woken and not self._ready:
                self._wakeup.wait(0.05)
                if not self._threads_may_wake_us():
                    break
            self._woken = False

    # -- the iteration ---------------------------------------------------------------------------
    def _virtual_select(self, timeout):
        """Stands in for `self._selector.select(timeout)`: never blocks, moves the virtual clock."""
        recorder = self.recorder
        if recorder is not None and len(recorder.events) > recorder.events_watermark:
            recorder.past_watermark()  # raises if the run halted; else the event cap was reached
        now = clock.now
        if now != self._iteration_clock:
            # The clock moved: progress, for the livelock watch below.
            self._iteration_clock = now
            self._progress = False
            self._busy_iterations = 0
            if now >= _ULP_EXCEEDS_RESOLUTION:
                # Far from 0.0 a float cannot hold now + 1e-9; a due timer must still count as due.
                self._clock_resolution = max(_CLOCK_RESOLUTION, math.ulp(now))
        elif self._progress or not self._scheduled:
            self._progress = False
            self._busy_iterations = 0
        else:
            # Livelock watch, for the iteration that ends here: tasks only polled while a timer
            # waited and the clock did not move.
            self._busy_iterations += 1
            if self._busy_iterations >= LIVELOCK_ITERATIONS:
                self._livelock()
        self._select_clock = None
        if timeout == 0:
            return _NO_EVENTS
        if (self._executor_jobs or len(_active_threads) > 1 or _starting_threads) and self._threads_may_wake_us():
            self._wait_for_threads()
            return _NO_EVENTS
        scheduled = self._scheduled
        if timeout is None or scheduled[0]._when == _INF:
            self._deadlock()
        when = scheduled[0]._when
        if when > now:
            if recorder is not None:
                self._select_clock = real_perf_counter()
                recorder.record(("idle", now, self._select_clock, when))
            clock.now = when
        return _NO_EVENTS

    def _timer_fired(self, handle):
        """A due timer moved to the ready queue: timer-fired, for the timers call_at recorded."""
        trace = handle._trace
        if trace is not None:
            # One real clock reading per iteration, shared with the idle jump and other due timers.
            real = self._select_clock
            if real is None:
                real = self._select_clock = real_perf_counter()
            self.recorder.record(("timer-fired", clock.now, real) + trace)

    def _run_once_fallback(self):
        """A copy of CPython's _run_once with the virtual select, for when its source is unavailable."""
        scheduled = self._scheduled
        sched_count = len(scheduled)
        if (sched_count > base_events._MIN_SCHEDULED_TIMER_HANDLES and
                self._timer_cancelled_count / sched_count > base_events._MIN_CANCELLED_TIMER_HANDLES_FRACTION):
            new_scheduled = []
            for handle in scheduled:
                if handle._cancelled:
                    handle._scheduled = False
                else:
                    new_scheduled.append(handle)
            heapq.heapify(new_scheduled)
            self._scheduled = scheduled = new_scheduled
            self._timer_cancelled_count = 0
        else:
            while scheduled and scheduled[0]._cancelled:
                self._timer_cancelled_count -= 1
                handle = heapq.heappop(scheduled)
                handle._scheduled = False

        timeout = None
        if self._ready or self._stopping:
            timeout = 0
        elif scheduled:
            timeout = max(0, scheduled[0]._when - clock.now)
        self._virtual_select(timeout)
        end_time = clock.now + self._clock_resolution
        ready = self._ready
        while scheduled:
            handle = scheduled[0]
            if handle._when >= end_time:
                break
            handle = heapq.heappop(scheduled)
            handle._scheduled = False
            ready.append(handle)
            self._timer_fired(handle)
        for _ in range(len(ready)):
            handle = ready.popleft()
            if handle._callback.__class__ in _STEP_CALLBACK_TYPES:
                if id(handle._callback.__self__) in self._task_records:
                    _mark_step(handle)
                else:
                    self._adopt_step(handle)
            if handle._cancelled:
                continue
            if self._debug:
                try:
                    self._current_handle = handle
                    t0 = self.time()
                    handle._run()
                    dt = self.time() - t0
                    if dt >= self.slow_callback_duration:
                        logger.warning("Executing %s took %.3f seconds", base_events._format_handle(handle), dt)
                finally:
                    self._current_handle = None
            else:
                handle._run()
        handle = None

    def _pending_records(self):
        recorder = self.recorder
        if recorder is None:
            return []
        records = []
        for task in asyncio.all_tasks(self):
            record = recorder.record_for(task)
            if record is not None and record.end is None:
                records.append(record)
        records.sort(key=lambda record: record.id)
        return records

    def _deadlock(self):
        records = self._pending_records()
        recorder = self.recorder
        lines = ["asyncio-trace: deadlock at virtual t=%s: every task is waiting and nothing is scheduled "
                 "to wake any of them; CPython would wait forever." % _fmt_time(clock.now)]
        waiters = []
        for record in records:
            awaiting = record.awaiting
            where = record.suspended
            held = awaiting.get("heldBy") if awaiting else None
            lines.append("  %s (%s) waits on %s%s%s" % (
                record.live_name(), record.coro, awaiting["label"] if awaiting else "nothing",
                " (held by %s)" % held["name"] if held else "",
                " at %s:%d" % (where["file"], where["line"]) if where else ""))
            waiters.append({"task": record.id, "awaiting": awaiting, "location": where})
        if not records:
            lines.append("  (no task is waiting: the loop waits on a future that nothing will complete)")
        exc = ProgramHalted("deadlock", "\n".join(lines))
        if recorder is not None:
            recorder.deadlock = {"waiters": waiters}
            recorder.halt(exc)
        raise exc

    def _livelock(self):
        records = self._pending_records()
        recorder = self.recorder
        pending_at = self._scheduled[0]._when
        busy = [record for record in records if record.awaiting and record.awaiting.get("label") == "sleep(0)"] or records
        names = ", ".join(record.live_name() for record in busy) or "a callback"
        message = ("asyncio-trace: livelock at virtual t=%s: %s kept polling (sleep(0)) for %d loop iterations "
                   "while a timer was due at t=%s; the virtual clock only advances when no task is ready, "
                   "so that timer never fires. Await the event, or sleep for a real delay."
                   % (_fmt_time(clock.now), names, LIVELOCK_ITERATIONS, _fmt_time(pending_at)))
        exc = ProgramHalted("livelock", message)
        if recorder is not None:
            recorder.livelock = {"tasks": [record.id for record in busy], "pendingTimerAt": pending_at}
            recorder.halt(exc)
        raise exc


# CPython's own BaseEventLoop._run_once source, compiled under base_events.py's file name with its
# line numbers kept, and edited on the same lines: select() becomes the virtual clock jump (which
# also watches for livelock and the event cap), a due timer the tracer knows is reported, and a
# traced task's step is marked as it leaves the ready queue. Tracebacks and print_stack() inside
# callbacks therefore show exactly CPython's `base_events.py, line N, in _run_once` frame.
_RUN_ONCE_EDITS = (
    # (CPython's text, ours, how many times it appears)
    ("event_list = self._selector.select(timeout)", "event_list = self._virtual_select(timeout)", 1),
    ("self._ready.append(handle)",
     "self._ready.append(handle); handle._trace is None or self._timer_fired(handle)", 1),
    # A traced task's step becomes a StepHandle, whose _run records the step. The `handle._run()`
    # lines stay as they are: a traceback through them shows exactly CPython's line and columns.
    ("handle = self._ready.popleft()",
     "handle = self._ready.popleft(); handle._callback.__class__ not in _STEP_CALLBACK_TYPES or "
     "(_mark_step(handle) if id(handle._callback.__self__) in self._task_records else self._adopt_step(handle))", 1),
)


def _compile_cpython_run_once():
    try:
        lines, first_line = inspect.getsourcelines(base_events.BaseEventLoop._run_once)
    except (OSError, TypeError):
        return None
    source = "".join(lines)
    for old, new, count in _RUN_ONCE_EDITS:
        if source.count(old) != count:
            return None
        source = source.replace(old, new)
    # Compiled inside a class named as CPython's, on the line before the method, so that the
    # method keeps its indentation: traceback markers (3.13+ draws them under whole-line calls
    # too) then sit under the same columns as CPython's, and names mangle as in BaseEventLoop.
    if first_line < 2 or not lines[0].startswith(" "):
        return None
    namespace = dict(vars(base_events), _STEP_CALLBACK_TYPES=_STEP_CALLBACK_TYPES, _mark_step=_mark_step)
    holder = "\n" * (first_line - 2) + "class BaseEventLoop:\n" + source
    exec(compile(holder, base_events.__file__, "exec"), namespace)
    run_once = namespace["BaseEventLoop"].__dict__["_run_once"]
    run_once.__qualname__ = "BaseEventLoop._run_once"
    return run_once


VirtualEventLoop._run_once = _compile_cpython_run_once() or VirtualEventLoop._run_once_fallback


def _fmt_time(value):
    return "%.6g" % value


VirtualEventLoop.__name__ = "_UnixSelectorEventLoop"
VirtualEventLoop.__qualname__ = "_UnixSelectorEventLoop"
VirtualEventLoop.__module__ = "asyncio.unix_events"

_PolicyBase = getattr(events, "_BaseDefaultEventLoopPolicy", None) or events.BaseDefaultEventLoopPolicy


class VirtualLoopPolicy(_PolicyBase):
    _loop_factory = VirtualEventLoop


VirtualLoopPolicy.__name__ = VirtualLoopPolicy.__qualname__ = "_UnixDefaultEventLoopPolicy"
VirtualLoopPolicy.__module__ = "asyncio.unix_events"


def install(recorder):
    """Makes asyncio.run, Runner, new_event_loop and get_event_loop produce the virtual loop."""
    VirtualEventLoop.recorder = recorder
    policy = VirtualLoopPolicy()
    setter = getattr(events, "_set_event_loop_policy", None)
    if setter is not None:
        setter(policy)
    else:
        events.set_event_loop_policy(policy)
    asyncio.SelectorEventLoop = VirtualEventLoop
    try:
        import asyncio.unix_events as unix_events

        unix_events.SelectorEventLoop = VirtualEventLoop
        unix_events._UnixSelectorEventLoop = VirtualEventLoop
    except ImportError:  # not on Unix (Pyodide has it; Windows does not)
        pass
