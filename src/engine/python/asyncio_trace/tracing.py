"""Task tracing: a thin coroutine proxy around each task's coroutine that records its steps.

The proxy keeps CPython's Task reprs (it forwards cr_frame, cr_code, __qualname__...) and removes
its own frame from exception tracebacks so programs never see it.
"""
import collections.abc
import sys
import types

from .clock import clock, real_perf_counter
from .recorder import _user_file_cache, is_user_file, location_of, short_repr

_CoroutineType = types.CoroutineType
_GeneratorType = types.GeneratorType
_getframe = sys._getframe

# asyncio coroutines a task can wait in, by qualified name: (kind, label).
_WAIT_KINDS = {
    "Queue.get": ("queue", "Queue.get"),
    "Queue.put": ("queue", "Queue.put"),
    "Queue.join": ("queue", "Queue.join"),
    "Lock.acquire": ("lock", "Lock.acquire"),
    "Semaphore.acquire": ("lock", "Semaphore.acquire"),
    "Condition.wait": ("lock", "Condition.wait"),
    "Condition.wait_for": ("lock", "Condition.wait_for"),
    "Event.wait": ("event", "Event.wait"),
    "Barrier.wait": ("barrier", "Barrier.wait"),
    "wait_for": ("wait", "wait_for"),
    "wait": ("wait", "wait"),
    "as_completed": ("wait", "as_completed"),
    "_AsCompletedIterator._wait_for_one": ("wait", "as_completed"),
    "_wait_for_one": ("wait", "as_completed"),
    "TaskGroup.__aexit__": ("wait", "TaskGroup"),
    "TaskGroup._aexit": ("wait", "TaskGroup"),
    "Timeout.__aexit__": ("wait", "timeout"),
    "staggered_race": ("wait", "staggered_race"),
    "BaseEventLoop.run_in_executor": ("io", "run_in_executor"),
    "to_thread": ("io", "to_thread"),
    "BaseEventLoop.shutdown_default_executor": ("io", "shutdown_default_executor"),
    "BaseEventLoop.shutdown_asyncgens": ("wait", "shutdown_asyncgens"),
}
_MAX_LABEL_TASKS = 6


def describe_task_list(recorder, futures):
    names, ids = [], []
    for fut in futures:
        name, task_id = recorder.task_label(fut) if hasattr(fut, "get_name") else ("Future", None)
        names.append(name)
        if task_id is not None:
            ids.append(task_id)
    if len(names) > _MAX_LABEL_TASKS:
        names = names[:_MAX_LABEL_TASKS] + ["… %d more" % (len(names) - _MAX_LABEL_TASKS)]
    return ", ".join(names), ids




def describe_wait(recorder, coro, yielded, loop):
    """Returns (suspended, task line, AwaitTarget dict) for a coroutine that just suspended.

    `suspended` is the innermost user frame on the await chain (the line that actually awaits);
    the task line is the outermost one: the line in the task's own coroutine.
    """
    user_frame = None
    task_frame = None
    library_frame = None
    user_files = _user_file_cache
    obj = coro
    while True:
        kind = type(obj)
        if kind is _CoroutineType:
            frame = obj.cr_frame
            following = obj.cr_await
        elif kind is _GeneratorType:
            frame = obj.gi_frame
            following = obj.gi_yieldfrom
        else:
            break
        if frame is None:
            break
        filename = frame.f_code.co_filename
        user = user_files.get(filename)
        if user is None:
            user = is_user_file(filename)
        if user:
            user_frame = frame
            if task_frame is None:
                task_frame = frame
        elif library_frame is None:
            library_frame = frame
            # `async with lock:` waits in the lock's acquire() under asyncio's shared __aenter__.
            if frame.f_code is _AENTER_CODE and type(following) is _CoroutineType and following.cr_frame is not None:
                library_frame = following.cr_frame
        if following is None:
            break
        obj = following
    if user_frame is None:
        suspended = task_line = None
    else:
        suspended = location_of(user_frame.f_code.co_filename, user_frame.f_lineno)
        task_line = suspended if task_frame is user_frame else location_of(task_frame.f_code.co_filename,
                                                                          task_frame.f_lineno)
    return suspended, task_line, _await_target(recorder, yielded, library_frame, loop)


def _await_target(recorder, yielded, library_frame, loop):
    qualname = library_frame.f_code.co_qualname if library_frame is not None else None
    if yielded is None:
        if qualname in ("sleep", "__sleep0"):
            return {"kind": "sleep", "label": "sleep(0)", "delay": 0}
        return {"kind": "other", "label": "yield"}
    sleep = loop._last_sleep if loop is not None else None
    if sleep is not None and sleep[0] is yielded:
        loop._last_sleep = None
        return {"kind": "sleep", "label": sleep[2], "delay": sleep[1]}
    target = None
    if hasattr(yielded, "get_coro"):
        name, task_id = recorder.task_label(yielded)
        target = {"kind": "task", "label": name}
        if task_id is not None:
            target["tasks"] = [task_id]
    elif type(yielded).__name__ == "_GatheringFuture":
        label, ids = describe_task_list(recorder, getattr(yielded, "_children", ()))
        target = {"kind": "gather", "label": "gather(%s)" % label, "tasks": ids}
    known = _WAIT_KINDS.get(qualname)
    if known is not None:
        kind, label = known
        if kind == "wait":
            if target is None and qualname == "wait_for":
                inner_future = library_frame.f_locals.get("fut")
                if hasattr(inner_future, "get_coro"):
                    name, task_id = recorder.task_label(inner_future)
                    target = {"kind": "task", "label": name, "tasks": [task_id] if task_id else []}
            inner = target["label"] if target is not None else "…"
            label = label if label in ("TaskGroup", "timeout") else "%s(%s)" % (label, inner)
            target = {"kind": "wait", "label": label, "tasks": target.get("tasks", []) if target else []}
        else:
            target = {"kind": kind, "label": label}
            if qualname == "Lock.acquire":
                # asyncio.Lock keeps no owner; lock_owners saw which task took it.
                from .lock_owners import owner_of

                holder = owner_of(library_frame.f_locals.get("self"))
                if holder is not None:
                    target["heldBy"] = {"task": holder.id, "name": holder.live_name()}
    elif target is None:
        target = {"kind": "future", "label": qualname or "Future"}
    if library_frame is not None:
        target["location"] = location_of(library_frame.f_code.co_filename, library_frame.f_lineno)
    return target


def _error_location(exc):
    tb = exc.__traceback__
    found = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if is_user_file(code.co_filename):
            found = {"file": code.co_filename, "line": tb.tb_lineno}
        tb = tb.tb_next
    return found


class TracedCoroutine(collections.abc.Coroutine):
    """Wraps a task's coroutine; each send/throw is one traced step."""

    # __name__/__qualname__ are per-instance slots: Task reprs read them from the coroutine.
    __slots__ = ("_coro", "_record", "_recorder", "_loop", "__name__", "__qualname__")

    def __init__(self, coro, record, recorder, loop):
        self._coro = coro
        self.__name__ = coro.__name__
        self.__qualname__ = coro.__qualname__
        self._record = record
        self._recorder = recorder
        self._loop = loop

    # send and throw are written out (no shared helper around the call) so that only one engine
    # frame sits between the Task and the coroutine, and it is the one removed from tracebacks.
    def send(self, value):
        recorder = self._recorder
        previous = recorder.current
        recorder.current = self._record
        t0 = clock.now
        w0 = real_perf_counter()
        try:
            yielded = self._coro.send(value)
        except BaseException as exc:
            recorder.current = previous
            tb = exc.__traceback__
            if tb is not None and tb.tb_frame is _getframe():
                exc.__traceback__ = tb.tb_next
            self._ended(exc, t0, w0)
            raise
        recorder.current = previous
        self._suspended(yielded, t0, w0)
        return yielded

    def throw(self, *args):
        recorder = self._recorder
        previous = recorder.current
        recorder.current = self._record
        t0 = clock.now
        w0 = real_perf_counter()
        try:
            yielded = self._coro.throw(*args)
        except BaseException as exc:
            recorder.current = previous
            tb = exc.__traceback__
            if tb is not None and tb.tb_frame is _getframe():
                exc.__traceback__ = tb.tb_next
            self._ended(exc, t0, w0)
            raise
        recorder.current = previous
        self._suspended(yielded, t0, w0)
        return yielded

    def _suspended(self, yielded, t0, w0):
        recorder = self._recorder
        record = self._record
        if yielded is not None:
            self._loop._progress = True
        suspended, task_line, awaiting = describe_wait(recorder, self._coro, yielded, self._loop)
        if record.network is not None:
            awaiting = {"kind": "network", "label": record.network}
        resumed = record.suspended
        record.suspended = suspended
        record.awaiting = awaiting
        recorder.emit_step(record.id, t0, w0, resumed, suspended, task_line, awaiting)

    def _ended(self, exc, t0, w0):
        if self._recorder.halted:
            return
        if isinstance(exc, StopIteration):
            end = {"kind": "result", "t": clock.now, "repr": _result_repr(exc.value)}
        elif isinstance(exc, _CancelledError):
            end = {"kind": "cancelled", "t": clock.now, "location": _error_location(exc),
                   "atShutdown": bool(getattr(self._loop, "_cancelling_at_shutdown", False))}
        else:
            end = {"kind": "exception", "t": clock.now, "type": type(exc).__name__,
                   "message": _safe_str(exc), "location": _error_location(exc), "retrieved": True}
        self._finished(t0, w0, end)

    def _finished(self, t0, w0, end):
        record = self._record
        recorder = self._recorder
        record.end = end
        self._loop._progress = True
        recorder.emit_step(record.id, t0, w0, record.suspended, None, None, None)
        recorder.emit_compact("task-done", record.id, end)

    def close(self):
        return self._coro.close()

    def __await__(self):
        return self._coro.__await__()

    @property
    def cr_frame(self):
        return self._coro.cr_frame

    @property
    def cr_code(self):
        return self._coro.cr_code

    @property
    def cr_await(self):
        return self._coro.cr_await

    @property
    def cr_running(self):
        return self._coro.cr_running

    @property
    def cr_suspended(self):
        return self._coro.cr_suspended

    @property
    def cr_origin(self):
        return self._coro.cr_origin

    def __repr__(self):
        return repr(self._coro)


def _safe_str(exc):
    try:
        return str(exc)
    except Exception:
        return "<str failed>"


def _result_repr(value):
    return short_repr(value, 80)


def coroutine_call_label(coro):
    """`fetch('A', 3)` for a not-yet-started coroutine, from its frame's arguments."""
    code = coro.cr_code
    frame = coro.cr_frame
    name = code.co_qualname
    if frame is None:
        return name + "()"
    count = code.co_argcount + code.co_kwonlyargcount
    flags = code.co_flags
    count += bool(flags & 0x04) + bool(flags & 0x08)
    names = code.co_varnames[:count]
    values = frame.f_locals
    parts = []
    for index, arg in enumerate(names):
        if index == 0 and arg in ("self", "cls"):
            continue
        if arg in values:
            value = values[arg]
            if flags & 0x04 and index == code.co_argcount + code.co_kwonlyargcount:
                parts.extend(short_repr(v, 30) for v in value)
            elif flags & 0x08 and index == count - 1:
                parts.extend("%s=%s" % (k, short_repr(v, 30)) for k, v in value.items())
            elif index >= code.co_argcount:
                parts.append("%s=%s" % (arg, short_repr(value, 30)))
            else:
                parts.append(short_repr(value, 30))
    return "%s(%s)" % (name, ", ".join(parts))


import asyncio as _asyncio  # noqa: E402  (after the class: asyncio is already imported by then)

_CancelledError = _asyncio.CancelledError
_AENTER_CODE = _asyncio.locks._ContextManagerMixin.__aenter__.__code__
