#!/usr/bin/env python3
"""Independent virtual-clock runner: the oracle of the differential tests.

    python3 test/oracle/native_vclock.py [--time-json PATH] PROGRAM.py [ARGS...]

Runs PROGRAM.py under this python3, on a virtual clock, and prints exactly what CPython prints:
the program's stdout, stderr and exit status. It shares no code with the product's tracer
(src/engine/python) on purpose, so that it can catch that tracer's mistakes.

How it runs: this launcher execs `python3 PROGRAM.py ARGS...` itself, with a `sitecustomize`
hook (test/oracle/hook/) that calls install() below at start-up and then leaves sys.path and
the environment as they were. So CPython runs the program exactly as `python3 PROGRAM.py`
would: no frame of this file sits below the program's `<module>` frame, and CPython's own top
level prints uncaught exceptions, handles SystemExit and picks the exit status.

How the clock works (after CPython's own TestLoop in Lib/test/test_asyncio/utils.py):
- one process-wide virtual clock starting at 0.0; `time.time/monotonic/perf_counter` (and the
  `_ns` variants) read it, `time.sleep(s)` advances it by `s` (blocking the loop meanwhile);
- the event loop is a BaseEventLoop subclass whose time() is that clock, with a selector that,
  when nothing is ready, jumps the clock to the earliest timer's deadline. Nothing else of the
  loop is changed, so callbacks, tasks, reprs and tracebacks are plain CPython's;
- timers with equal deadlines fire in scheduling order (a real clock never repeats a value);
- nothing ready and no timers: a deadlock. The waiting tasks are listed on stderr, exit 124.

`--time-json PATH` writes {"virtual_time": t, "run_ms": real ms from start-up's end to the
program's end (interpreter start-up and finalisation excluded)}, plus "deadlock": [names of the
waiting tasks] when the run deadlocked. The benchmark uses run_ms as "native CPython in-process
on a virtual clock".
"""
import asyncio
import asyncio.base_events
import atexit
import heapq
import itertools
import json
import math
import operator
import os
import selectors
import sys
import time
import types

EXIT_DEADLOCK = 124
HOOK_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hook")
TIME_JSON_ENV = "NATIVE_VCLOCK_TIME_JSON"
HOOK_PATH_ENV = "NATIVE_VCLOCK_SAVED_PYTHONPATH"
UNSET = "<unset>"
_CLOCK_RESOLUTION = time.get_clock_info("monotonic").resolution
_ORACLE_FILE = os.path.abspath(__file__)

_real_sleep = time.sleep
_real_perf_counter = time.perf_counter
_clock = [0.0]


def _now():
    return _clock[0]


def _now_ns():
    return int(round(_clock[0] * 1e9))


def _sleep(secs):
    """time.sleep on the virtual clock; invalid arguments get CPython's own errors."""
    if isinstance(secs, float):
        if math.isnan(secs) or secs < 0 or math.isinf(secs):
            _real_sleep(secs)  # raises CPython's ValueError/OverflowError
    else:
        try:
            operator.index(secs)
        except TypeError:
            _real_sleep(secs)  # raises CPython's TypeError
        if secs < 0:
            _real_sleep(secs)
    _clock[0] += float(secs)


def _patch_time_module():
    time.sleep = _sleep
    for name in ("time", "monotonic", "perf_counter"):
        setattr(time, name, _now)
        setattr(time, name + "_ns", _now_ns)


class _JumpSelector(selectors.BaseSelector):
    """A selector with no file objects: waiting means jumping the clock to the next timer."""

    def __init__(self, loop):
        self._loop = loop
        self._keys = {}

    def register(self, fileobj, events, data=None):
        raise NotImplementedError("the virtual-clock loop has no I/O")

    def unregister(self, fileobj):
        raise KeyError(fileobj)

    def get_map(self):
        return self._keys

    def select(self, timeout=None):
        loop = self._loop
        if timeout is None:
            _report_deadlock(loop)
        if timeout and loop._scheduled:
            when = loop._scheduled[0]._when
            if when > _clock[0]:
                _clock[0] = when
        # _run_once fires timers due before time() + _clock_resolution. Past ~4e6 s one ulp of the
        # clock exceeds CPython's 1e-9, so now + 1e-9 == now and a timer due exactly now would
        # never fire (a real clock moves on; this one does not).
        loop._clock_resolution = max(_CLOCK_RESOLUTION, math.ulp(_clock[0]))
        return []


_timer_seq = itertools.count()


class TimerHandle(asyncio.events.TimerHandle):
    """CPython's TimerHandle, ordered by (deadline, scheduling order).

    On a virtual clock many timers share one deadline; a real clock never repeats, so in CPython
    they fire in the order they were scheduled. The heap needs the tie-break to do the same.
    """

    __slots__ = ("_seq",)

    def __lt__(self, other):
        if isinstance(other, TimerHandle):
            return (self._when, self._seq) < (other._when, other._seq)
        return super().__lt__(other)

    def __gt__(self, other):
        if isinstance(other, TimerHandle):
            return (self._when, self._seq) > (other._when, other._seq)
        return super().__gt__(other)

    def __le__(self, other):
        return self.__lt__(other) or self.__eq__(other)

    def __ge__(self, other):
        return self.__gt__(other) or self.__eq__(other)

    __hash__ = asyncio.events.TimerHandle.__hash__


class VirtualClockLoop(asyncio.base_events.BaseEventLoop):
    def __init__(self):
        super().__init__()
        self._selector = _JumpSelector(self)

    def call_at(self, when, callback, *args, context=None):
        # BaseEventLoop.call_at with the ordered TimerHandle (no extra frame in its traceback).
        if when is None:
            raise TypeError("when cannot be None")
        self._check_closed()
        if self._debug:
            self._check_thread()
            self._check_callback(callback, "call_at")
        timer = TimerHandle(when, callback, args, self, context)
        timer._seq = next(_timer_seq)
        if timer._source_traceback:
            del timer._source_traceback[-1]
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def time(self):
        return _clock[0]

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass


class VirtualClockPolicy(asyncio.DefaultEventLoopPolicy):
    _loop_factory = VirtualClockLoop


# ---------------------------------------------------------------------------------------------
# Deadlock report and the end of a run

_run_state = {"time_json": None, "t0": None}


def _write_time_json(deadlocked=None):
    path = _run_state["time_json"]
    if path and _run_state["t0"] is not None:
        run_ms = (_real_perf_counter() - _run_state["t0"]) * 1000.0
        report = {"virtual_time": _clock[0], "run_ms": run_ms}
        if deadlocked is not None:
            report["deadlock"] = deadlocked
        with open(path, "w") as f:
            json.dump(report, f)
        _run_state["time_json"] = None


def _where(task):
    coro = task.get_coro()
    frame = getattr(coro, "cr_frame", None)
    if frame is None:
        return "%s" % getattr(coro, "__qualname__", coro)
    return "%s() at %s:%d" % (coro.__qualname__, os.path.basename(frame.f_code.co_filename), frame.f_lineno)


def _report_deadlock(loop):
    waiting = sorted((t for t in asyncio.all_tasks(loop) if not t.done()), key=lambda t: t.get_name())
    lines = ["deadlock: nothing is ready and no timer is pending at t=%g" % _clock[0]]
    for task in waiting:
        lines.append("  %s waits in %s" % (task.get_name(), _where(task)))
    try:
        sys.stdout.flush()
    except Exception:
        pass
    sys.stderr.write("\n".join(lines) + "\n")
    sys.stderr.flush()
    _write_time_json([t.get_name() for t in waiting])
    os._exit(EXIT_DEADLOCK)


def _strip_oracle_frames(exc, seen=None):
    """Removes this file's frames from the tracebacks of exc, its causes, contexts and group members."""
    seen = set() if seen is None else seen
    if exc is None or id(exc) in seen:
        return
    seen.add(id(exc))
    tb = exc.__traceback__
    kept = []
    while tb is not None:
        if os.path.abspath(tb.tb_frame.f_code.co_filename) != _ORACLE_FILE:
            kept.append(tb)
        tb = tb.tb_next
    new_tb = None
    for entry in reversed(kept):
        new_tb = types.TracebackType(new_tb, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    exc.__traceback__ = new_tb
    _strip_oracle_frames(exc.__cause__, seen)
    _strip_oracle_frames(exc.__context__, seen)
    for sub in getattr(exc, "exceptions", ()) or ():
        if isinstance(sub, BaseException):
            _strip_oracle_frames(sub, seen)


def _excepthook(exc_type, exc, tb):
    """Prints an uncaught exception as CPython would, without this file's frames (the only one
    that can appear is _sleep's, when time.sleep rejects its argument)."""
    if exc is not None:
        exc.__traceback__ = tb
        _strip_oracle_frames(exc)
        tb = exc.__traceback__
    sys.__excepthook__(exc_type, exc, tb)


def install():
    """Called by the sitecustomize hook before the program's first line."""
    _run_state["time_json"] = os.environ.pop(TIME_JSON_ENV, None) or None
    _patch_time_module()
    asyncio.set_event_loop_policy(VirtualClockPolicy())
    sys.excepthook = _excepthook
    atexit.register(_write_time_json)
    _run_state["t0"] = _real_perf_counter()


def main(argv):
    time_json = None
    if argv[:1] == ["--time-json"]:
        time_json, argv = os.path.abspath(argv[1]), argv[2:]
    if not argv:
        sys.stderr.write(__doc__)
        return 2
    env = dict(os.environ)
    env[HOOK_PATH_ENV] = env.get("PYTHONPATH", UNSET)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (HOOK_DIR, env.get("PYTHONPATH")) if p)
    if time_json:
        env[TIME_JSON_ENV] = time_json
    program = os.path.abspath(argv[0])
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable, program] + argv[1:], env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
