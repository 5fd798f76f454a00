"""The trace recorder: collects events and task records, and serialises them as the Trace JSON.

The JSON shape is `src/core/trace/schema.ts` (camelCase keys). Recording must stay cheap: it
runs on every task step, timer and output chunk.
"""
import collections
import json
import math
import os
import sys
import sysconfig
import types

_CoroutineType = types.CoroutineType
# A sink for events after a halt or past the cap: deque(maxlen=0).append keeps nothing.
_DISCARD = collections.deque(maxlen=0).append

from .clock import clock, real_perf_counter

ENGINE_DIR = os.path.dirname(os.path.abspath(__file__))
RUN_TRACED = os.path.join(os.path.dirname(ENGINE_DIR), "run_traced.py")


def _library_prefixes():
    prefixes = {ENGINE_DIR + os.sep, RUN_TRACED}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            prefixes.add(os.path.abspath(path) + os.sep)
    import asyncio

    prefixes.add(os.path.dirname(os.path.dirname(os.path.abspath(asyncio.__file__))) + os.sep)
    return tuple(prefixes)


_LIBRARY_PREFIXES = _library_prefixes()
_ENGINE_PREFIXES = (ENGINE_DIR + os.sep, RUN_TRACED)
_user_file_cache = {}
_engine_file_cache = {}


def is_user_file(filename):
    """True for the program's own files (not the stdlib, site-packages, frozen modules or us)."""
    known = _user_file_cache.get(filename)
    if known is None:
        known = not (filename.startswith(_LIBRARY_PREFIXES) or filename.startswith("<"))
        _user_file_cache[filename] = known
    return known


def is_engine_file(filename):
    """True for asyncio-trace's own files, which must never show in tracebacks."""
    known = _engine_file_cache.get(filename)
    if known is None:
        known = filename.startswith(_ENGINE_PREFIXES)
        _engine_file_cache[filename] = known
    return known


# {filename: {line: SourceLocation}}: nested rather than keyed by (filename, line), which would
# build and hash a tuple on every lookup.
_locations = {}


def location_of(filename, line):
    """Shared, never-mutated SourceLocation dicts: a run revisits the same few lines many times."""
    lines = _locations.get(filename)
    if lines is None:
        lines = _locations[filename] = {}
    found = lines.get(line)
    if found is None:
        found = lines[line] = {"file": filename, "line": line}
    return found


def user_location(frame):
    """The innermost user-code location at or above `frame`, as a (shared) SourceLocation dict."""
    cache = _user_file_cache
    while frame is not None:
        filename = frame.f_code.co_filename
        known = cache.get(filename)
        if known is None:
            known = is_user_file(filename)
        if known:
            return location_of(filename, frame.f_lineno)
        frame = frame.f_back
    return None


def short_repr(value, limit=60):
    if type(value) is _CoroutineType:
        return value.__qualname__ + "()"
    try:
        text = repr(value)
    except Exception as exc:  # a user __repr__ may fail; the trace must not
        text = "<repr failed: %s>" % type(exc).__name__
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def number(value):
    """JSON has no Infinity/NaN; such times (sleep(inf)) are written as null."""
    return value if math.isfinite(value) else None


class TaskRecord:
    __slots__ = ("id", "name", "coro", "parent", "created_at", "created", "defined", "end",
                 "suspended", "awaiting", "task_ref", "unretrieved", "network")

    def __init__(self, task_id, coro, parent, created, defined):
        self.id = task_id
        self.name = None
        self.coro = coro
        self.parent = parent
        self.created_at = clock.now
        self.created = created
        self.defined = defined
        self.end = None
        self.suspended = defined
        self.awaiting = None
        self.task_ref = None
        self.unretrieved = False
        self.network = None

    def live_name(self):
        """The task's name now (set_name may have renamed it since creation)."""
        task = self.task_ref() if self.task_ref is not None else None
        if task is not None:
            self.name = task.get_name()
        return self.name or "Task-?"

    def to_json(self):
        self.live_name()
        end = self.end
        if end is None:
            end = {"kind": "pending", "location": self.suspended, "awaiting": self.awaiting}
        elif end["kind"] == "exception":
            end = dict(end, retrieved=not self.unretrieved and not self._still_unretrieved())
        return {"id": self.id, "name": self.name or "Task-?", "coro": self.coro, "parent": self.parent,
                "createdAt": self.created_at, "created": self.created, "defined": self.defined, "end": end}

    def _still_unretrieved(self):
        task = self.task_ref() if self.task_ref is not None else None
        return bool(task is not None and getattr(task, "_log_traceback", False))


class Recorder:
    """One run's trace. `current` is the TaskRecord whose step is running (None outside tasks)."""

    def __init__(self, config):
        self.engine = config.get("engine", "local")
        self.file = config["file"]
        self.argv = [self.file] + list(config.get("args") or [])
        self.max_events = int(config.get("max_events") or 200_000)
        self.wall_start = real_perf_counter()
        self.wall_end = None
        self.events = []
        # The hot paths (task steps, timers, task creation and end, idle jumps) call `record` with a
        # compact tuple, (kind, t, real clock, *fields), written out at the call site: a tuple costs a
        # fraction of a dict to build and to serialise, and a method call per event would cost more
        # than the rest of the recording. The real clock is kept raw (a step's end reading is also
        # its wallMs); to_json() writes them as arrays and the host expands them into the schema's
        # objects with the same arithmetic (src/engine/traceWire.ts, WIRE_FIELDS).
        # `record` is `events.append` until the run halts or reaches the cap, then a sink that keeps
        # nothing, so the hot paths need no check of their own.
        self.record = self.events.append
        # The loop checks once per iteration whether len(events) passed this: at max_events the cap
        # is reached; a halt sets it to -1 so that the same check stops the loop.
        self.events_watermark = self.max_events
        self.events_truncated = False
        self.tasks = []
        self.task_by_object = {}
        self.current = None
        # perf_counter() at the start of the running step: events recorded inside a step carry it
        # as their real clock (one reading per step, not per event: on Pyodide a reading is a
        # call out to JavaScript and costs as much as several Python calls).
        self.step_clock = 0.0
        self.halted = False
        self.status = "ok"
        self.exit_code = 0
        self.uncaught = None
        self.deadlock = None
        self.livelock = None
        self.network_simulated = False
        self.output_truncated = False
        self.next_timer_id = 1
        self.halt_exception = None
        self.on_halt = []

    def halt(self, exc):
        """Stops recording and silences the program: after a halt CPython would hang or be killed."""
        if not self.halted:
            self.halted = True
            self.record = _DISCARD
            self.events_watermark = -1
            self.halt_exception = exc
            self.status = exc.status
            for callback in self.on_halt:
                callback()

    def program_started(self):
        """Event times and the run's wallMs count from here (engine set-up excluded)."""
        self.wall_start = real_perf_counter()

    def program_ended(self):
        """The program and its atexit handlers are done (the emulated interpreter teardown is not counted)."""
        if self.wall_end is None:
            self.wall_end = real_perf_counter()

    def wall_ms(self):
        end = self.wall_end if self.wall_end is not None else real_perf_counter()
        return round((end - self.wall_start) * 1000, 3)

    def emit(self, event):
        """Appends `event` (a dict with kind and its fields); t and wallMs are filled in here.

        seq is not: the host numbers the events once the compact ones are expanded (traceWire.ts).
        """
        if self.halted:
            return None
        events = self.events
        if len(events) >= self.max_events:
            self.events_truncated = True
            return None
        if "t" not in event:
            event["t"] = clock.now
        # int()/1000 rather than round(x, 3): round with digits is slow, and this runs per event.
        real = self.step_clock if self.current is not None else real_perf_counter()
        event["wallMs"] = int((real - self.wall_start) * 1_000_000) / 1000
        events.append(event)
        return event

    def past_watermark(self):
        """The loop's per-iteration check found more events than events_watermark allows."""
        if self.halted:
            raise self.halt_exception
        # The cap: the hot paths record without checking it, so later events are dropped from here.
        self.events_truncated = True
        self.record = _DISCARD
        self.events_watermark = math.inf

    def current_task_id(self):
        current = self.current
        return current.id if current is not None else None

    def record_for(self, task):
        return self.task_by_object.get(id(task))

    def adopt(self, task):
        """For a task with no record: one, if it was built with asyncio.Task(coro) and has not run yet
        (see VirtualEventLoop._adopt_task), else None."""
        try:
            adopt_task = task.get_loop()._adopt_task
        except AttributeError:
            return None
        return adopt_task(task)

    def task_label(self, task):
        record = self.task_by_object.get(id(task))
        if record is None:
            record = self.adopt(task)
        if record is not None:
            return record.live_name(), record.id
        try:
            return task.get_name(), None
        except AttributeError:
            return type(task).__name__, None

    def output(self, stream, text):
        if self.halted:
            return
        current = self.current
        task_id = current.id if current is not None else None
        events = self.events
        if events:
            last = events[-1]
            if (type(last) is dict and last["kind"] == "output" and last["stream"] == stream and last["task"] == task_id
                    and last["t"] == clock.now and len(last["text"]) < 4096):
                last["text"] += text[:4096]
                return
        self.emit({"kind": "output", "stream": stream, "text": text[:4096], "task": task_id})

    def blocked(self, start, call, frame):
        self.emit({"kind": "blocked", "t": start, "tEnd": clock.now, "task": self.current_task_id(),
                   "call": call, "location": user_location(frame)})

    def to_json(self):
        events = self.events
        if len(events) > self.max_events:  # the hot paths may overshoot by one loop iteration
            events = events[:self.max_events]
            self.events_truncated = True
        trace = {
            "schema": 1,
            "engine": self.engine,
            "pythonVersion": "%d.%d.%d" % sys.version_info[:3],
            "file": self.file,
            "argv": self.argv,
            "status": self.status,
            "exitCode": self.exit_code,
            "virtualTime": number(clock.now),
            "wallMs": self.wall_ms(),
            "uncaught": self.uncaught,
            "deadlock": self.deadlock,
            "livelock": self.livelock,
            "networkSimulated": self.network_simulated,
            "outputTruncated": self.output_truncated,
            "eventsTruncated": self.events_truncated,
            # How to expand the compact events (arrays) of the list below; see Recorder.__init__.
            "wire": {"format": 2, "wallStart": self.wall_start},
            "tasks": [record.to_json() for record in self.tasks],
            "events": events,
        }
        return json.dumps(trace, ensure_ascii=False, separators=(",", ":"), default=str)
