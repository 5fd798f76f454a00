"""Which traced task holds each asyncio.Lock: asyncio.Lock keeps no owner, but deadlock reports
need one ("Lock.acquire: held by Task-3").

Every way a Lock changes hands goes through one attribute: `Lock.__init__` and `release()` set
`self._locked = False`, and `acquire()` sets `self._locked = True` only once it has the lock (on
its fast path, or after its waiter future resolved), while the acquiring task's step is running.
So the ownership is observed there, through a data descriptor on the class, instead of by
wrapping `acquire()` and `release()`: a wrapper coroutine would add an engine frame to every
await chain that waits on a lock (seen by asyncio.graph, Task.get_stack and tracing.describe_wait)
and would replace the code objects that `inspect` shows for Lock.acquire. The value itself stays in
the instance's __dict__ under its own name, so `vars(lock)`, `locked()` and the repr are unchanged.
Condition's underlying Lock, and any subclass of Lock, are covered the same way.
"""
import asyncio.locks

_Lock = asyncio.locks.Lock


class _State:
    recorder = None
    # id(lock) -> TaskRecord of the task that acquired it. An entry is removed when the lock is
    # released, and a new Lock clears its id's entry in __init__, so a reused id never inherits one.
    owners = {}


state = _State()


class _LockedFlag:
    """Stands in for the instance attribute `_locked`, noting the current task on every change."""

    def __get__(self, lock, owner=None):
        if lock is None:
            return self
        try:
            return lock.__dict__["_locked"]
        except KeyError:  # a subclass that skipped Lock.__init__: the error CPython would raise
            raise AttributeError("'%s' object has no attribute '_locked'" % type(lock).__name__,
                                 name="_locked", obj=lock) from None

    def __set__(self, lock, value):
        lock.__dict__["_locked"] = value
        recorder = state.recorder
        holder = recorder.current if value and recorder is not None else None
        if holder is not None:
            state.owners[id(lock)] = holder
        else:
            state.owners.pop(id(lock), None)

    def __delete__(self, lock):
        del lock.__dict__["_locked"]
        state.owners.pop(id(lock), None)


def install(recorder):
    """Starts a run's bookkeeping; safe to call again in the same interpreter (tests do)."""
    state.recorder = recorder
    state.owners = {}
    if not isinstance(_Lock.__dict__.get("_locked"), _LockedFlag):
        _Lock._locked = _LockedFlag()


def owner_of(lock):
    """The TaskRecord of the task holding `lock`, or None when it is free or was taken outside a traced task."""
    return state.owners.get(id(lock))
