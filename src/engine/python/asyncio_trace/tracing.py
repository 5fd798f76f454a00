"""Task tracing: labels for tasks and for what they wait on, and the record of each step.

The loop calls step_ended() after each step of a traced task; tasks run their own coroutines,
untouched, so reprs, get_coro(), get_stack() and tracebacks are CPython's.
"""
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
    """("name, name, … 994 more", [task ids]): every id, but names only for the first few."""
    names, ids = [], []
    for fut in futures[:_MAX_LABEL_TASKS]:
        name, task_id = recorder.task_label(fut) if hasattr(fut, "get_name") else ("Future", None)
        names.append(name)
        if task_id is not None:
            ids.append(task_id)
    if len(futures) > _MAX_LABEL_TASKS:
        records = recorder.task_by_object
        for fut in futures[_MAX_LABEL_TASKS:]:
            record = records.get(id(fut))
            if record is None:
                record = recorder.adopt(fut)
            if record is not None:
                ids.append(record.id)
        names.append("… %d more" % (len(futures) - _MAX_LABEL_TASKS))
    return ", ".join(names), ids




def describe_wait(recorder, coro, yielded, loop):
    """Returns (suspended, task line, AwaitTarget dict) for a coroutine that just suspended.

    `suspended` is the innermost user frame on the await chain (the line that actually awaits);
    the task line is the outermost one: the line in the task's own coroutine.

    The chain is walked by code objects, not frames: reading cr_frame makes CPython build a frame
    object for a frame that has none yet (and copy it out when the coroutine ends), so frames
    are only read where a line number or locals are needed.
    """
    # A sleep's timer, scheduled by this step (step_ended took the commonest case already).
    sleep = loop._last_sleep
    if sleep is not None:
        loop._last_sleep = None
        if yielded is None or sleep[0] is not yielded:
            sleep = None
    user = None  # innermost user coroutine (or generator) on the chain
    task = None  # outermost one
    library = None  # outermost asyncio/library one: what the task waits in
    user_files = _user_file_cache
    obj = coro
    while True:
        kind = type(obj)
        if kind is _CoroutineType:
            code = obj.cr_code
            following = obj.cr_await
        elif kind is _GeneratorType:
            code = obj.gi_code
            following = obj.gi_yieldfrom
        else:
            break
        filename = code.co_filename
        is_user = user_files.get(filename)
        if is_user is None:
            is_user = is_user_file(filename)
        if is_user:
            user = obj
            if task is None:
                task = obj
        elif library is None:
            library = obj
            # `async with lock:` waits in the lock's acquire() under asyncio's shared __aenter__.
            if code is _AENTER_CODE and type(following) is _CoroutineType:
                library = following
        if following is None:
            break
        obj = following
    frame = _frame_of(user) if user is not None else None
    if frame is None:
        suspended = task_line = None
    elif task is user:
        suspended = task_line = location_of(frame.f_code.co_filename, frame.f_lineno)
    else:
        suspended = location_of(frame.f_code.co_filename, frame.f_lineno)
        frame = _frame_of(task)
        task_line = location_of(frame.f_code.co_filename, frame.f_lineno) if frame is not None else suspended
    if sleep is not None:
        return suspended, task_line, sleep[1]
    return suspended, task_line, _await_target(recorder, yielded, library)


def _frame_of(coroutine_or_generator):
    if type(coroutine_or_generator) is _CoroutineType:
        return coroutine_or_generator.cr_frame
    return coroutine_or_generator.gi_frame


def _code_of(coroutine_or_generator):
    if type(coroutine_or_generator) is _CoroutineType:
        return coroutine_or_generator.cr_code
    return coroutine_or_generator.gi_code


def _await_target(recorder, yielded, library):
    """The AwaitTarget of a step, from what it yielded and the library coroutine it waits in."""
    qualname = _code_of(library).co_qualname if library is not None else None
    if yielded is None:
        if qualname in ("sleep", "__sleep0"):
            return {"kind": "sleep", "label": "sleep(0)", "delay": 0}
        return {"kind": "other", "label": "yield"}
    library_frame = _frame_of(library) if library is not None else None
    if library_frame is None:  # a library coroutine that already ended
        qualname = None
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


def step_ended(loop, recorder, record, task, t0, w0):
    """Records one step of a traced task, just after it ran: where it stopped and what it waits on,
    or how the task ended. Called by the loop around the task's step callback (see
    StepHandle), so nothing stands between the Task and its coroutine.
    """
    if task.done():
        _task_ended(loop, recorder, record, task, t0, w0)
        return
    # The future the coroutine yielded (None after a bare yield: sleep(0)).
    waiting_on = task._fut_waiter
    if waiting_on is not None:
        loop._progress = True
        sleep = loop._last_sleep
        # The commonest wait, taken here without describe_wait's walk: the task's own (user)
        # coroutine awaits asyncio.sleep directly, whose timer this step scheduled (call_at made
        # its AwaitTarget).
        if sleep is not None and sleep[0] is waiting_on and record.network is None:
            coro = task.get_coro()
            inner = coro.cr_await
            code = coro.cr_code
            if (type(inner) is _CoroutineType and inner.cr_code is _SLEEP_CODE
                    and _user_file_cache.get(code.co_filename)):
                loop._last_sleep = None
                here = location_of(code.co_filename, coro.cr_frame.f_lineno)
                awaiting = sleep[1]
                recorder.record(("step", t0, real_perf_counter(), record.id, clock.now, record.suspended, here,
                                 here, awaiting, w0))
                record.suspended = here
                record.awaiting = awaiting
                return
    suspended, task_line, awaiting = describe_wait(recorder, task.get_coro(), waiting_on, loop)
    if record.network is not None:
        awaiting = {"kind": "network", "label": record.network}
    recorder.record(("step", t0, real_perf_counter(), record.id, clock.now, record.suspended, suspended,
                     task_line, awaiting, w0))
    record.suspended = suspended
    record.awaiting = awaiting


def _task_ended(loop, recorder, record, task, t0, w0):
    """The task's last step: one "done" record, which the host expands into that step and task-done.

    The outcome is read from the task without retrieving it (`_result`, `_exception`), so that
    "Task exception was never retrieved" is logged exactly when CPython logs it.
    """
    if recorder.halted or record.end is not None:
        return
    if task.cancelled():
        # The CancelledError is not readable without consuming it (_make_cancelled_error() hands
        # it over once), so the location is where it was thrown in: where the task last stopped
        # (for a task cancelled before its first step, the line that defines its coroutine).
        end = {"kind": "cancelled", "t": clock.now, "location": record.suspended,
               "atShutdown": _cancelling_at_shutdown()}
    else:
        exc = task._exception
        if exc is None:
            end = {"kind": "result", "t": clock.now, "repr": _bounded_repr(task._result, 80)}
        else:
            end = {"kind": "exception", "t": clock.now, "type": type(exc).__name__,
                   "message": _safe_str(exc), "location": _error_location(exc), "retrieved": True}
    record.end = end
    # The name as it ends: asyncio.create_task(name=...) sets it only after loop.create_task
    # returned, and the task may be gone by the time the trace is written.
    record.name = task.get_name()
    loop._progress = True
    recorder.record(("done", t0, real_perf_counter(), record.id, clock.now, record.suspended, w0, end))


def _cancelling_at_shutdown():
    """True while asyncio.run (Runner.close) cancels the tasks left over: runners._cancel_all_tasks
    is on the stack. Looked up from here rather than marked by an override of
    run_until_complete, which would put a frame of ours under every task's steps."""
    frame = _getframe(1)
    while frame is not None:
        if frame.f_code is _CANCEL_ALL_TASKS_CODE:
            return True
        frame = frame.f_back
    return False


def _safe_str(exc):
    try:
        return str(exc)
    except Exception:
        return "<str failed>"


# How to label a coroutine function's calls, per code object: (code, qualname, ((argument, style),
# ...), where it is defined, the name of its only argument if that is positional), style being one
# of the _ARG_* below. Keyed by id() and checked by identity, because
# hashing a code object walks its constants, and this runs once per task created.
_label_plans = {}
_ARG_POSITIONAL, _ARG_KEYWORD, _ARG_STAR, _ARG_STARSTAR = range(4)
# Types whose repr cannot fail or recurse: formatted without short_repr's guards.
_PLAIN_REPR_TYPES = frozenset((int, float, str, bool, type(None)))


def _label_plan(code):
    flags = code.co_flags
    positional = code.co_argcount
    named = positional + code.co_kwonlyargcount
    count = named + bool(flags & 0x04) + bool(flags & 0x08)
    args = []
    for index, arg in enumerate(code.co_varnames[:count]):
        if index == 0 and arg in ("self", "cls"):
            continue
        if flags & 0x04 and index == named:
            style = _ARG_STAR
        elif flags & 0x08 and index == count - 1:
            style = _ARG_STARSTAR
        elif index >= positional:
            style = _ARG_KEYWORD
        else:
            style = _ARG_POSITIONAL
        args.append((arg, style))
    if len(_label_plans) > 4096:  # programs that make code objects on the fly
        _label_plans.clear()
    # The commonest shape, one positional argument, has its own path in describe_coroutine.
    single = args[0][0] if len(args) == 1 and args[0][1] == _ARG_POSITIONAL else None
    plan = _label_plans[id(code)] = (code, code.co_qualname, tuple(args),
                                     location_of(code.co_filename, code.co_firstlineno), single)
    return plan



def _bounded_repr(value, limit):
    """repr(value) in at most `limit` characters; short_repr's guards only for types that need them."""
    if type(value) in _PLAIN_REPR_TYPES:
        text = repr(value)
        return text if len(text) <= limit else text[:limit - 1] + "…"
    return short_repr(value, limit)


def _arg_repr(value):
    return _bounded_repr(value, 30)


def describe_coroutine(coro):
    """(`fetch('A', 3)`, where fetch is defined) for a not-yet-started coroutine.

    The label comes from the frame's arguments, before the coroutine can change them.
    """
    code = coro.cr_code
    plan = _label_plans.get(id(code))
    if plan is None or plan[0] is not code:
        plan = _label_plan(code)
    frame = coro.cr_frame
    args = plan[2]
    if frame is None or not args:
        return plan[1] + "()", plan[3]
    values = frame.f_locals
    single = plan[4]
    if single is not None and single in values:
        return "%s(%s)" % (plan[1], _arg_repr(values[single])), plan[3]
    parts = []
    for arg, style in args:
        if arg in values:
            value = values[arg]
            if style == _ARG_POSITIONAL:
                parts.append(_arg_repr(value))
            elif style == _ARG_KEYWORD:
                parts.append("%s=%s" % (arg, _arg_repr(value)))
            elif style == _ARG_STAR:
                parts.extend(_arg_repr(v) for v in value)
            else:
                parts.extend("%s=%s" % (k, _arg_repr(v)) for k, v in value.items())
    return "%s(%s)" % (plan[1], ", ".join(parts)), plan[3]


import asyncio as _asyncio  # noqa: E402  (after the class: asyncio is already imported by then)

_CancelledError = _asyncio.CancelledError
_AENTER_CODE = _asyncio.locks._ContextManagerMixin.__aenter__.__code__
_SLEEP_CODE = _asyncio.tasks.sleep.__code__
_CANCEL_ALL_TASKS_CODE = getattr(getattr(_asyncio.runners, "_cancel_all_tasks", None), "__code__", None)
