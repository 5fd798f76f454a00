"""The trace recorder: collects events and task records, and serialises them as the Trace JSON.

The JSON shape is `src/core/trace/schema.ts` (camelCase keys). Recording must stay cheap: it
runs on every task step, timer and output chunk.
"""
import json
import math
import os
import sys
import sysconfig
import types

_CoroutineType = types.CoroutineType

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


_locations = {}


def location_of(filename, line):
    """Shared, never-mutated SourceLocation dicts: a run revisits the same few lines many times."""
    key = (filename, line)
    found = _locations.get(key)
    if found is None:
        found = _locations[key] = {"file": filename, "line": line}
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
        self.events_truncated = False
        self.tasks = []
        self.task_by_object = {}
        self.current = None
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
        """Appends `event` (a dict with kind and its fields); seq, t and wallMs are filled in here."""
        if self.halted:
            return None
        events = self.events
        if len(events) >= self.max_events:
            self.events_truncated = True
            return None
        event["seq"] = len(events)
        if "t" not in event:
            event["t"] = clock.now
        # int()/1000 rather than round(x, 3): round with digits is slow, and this runs per event.
        event["wallMs"] = int((real_perf_counter() - self.wall_start) * 1_000_000) / 1000
        events.append(event)
        return event

    # Hot-path emitters. They append compact tuples, (kind, seq, t, real clock, *fields), instead
    # of dicts: a tuple costs a fraction of a dict to build and to serialise, and these run
    # several times per task step. The real clock is kept raw (a step's end reading is also its
    # wallMs); to_json() writes them as arrays and the host expands them into the schema's
    # objects with the same arithmetic (src/engine/traceWire.ts, WIRE_FIELDS).
    def emit_step(self, task_id, t0, w0, resumed, suspended, task_line, awaiting):
        if self.halted:
            return
        events = self.events
        seq = len(events)
        if seq >= self.max_events:
            self.events_truncated = True
            return
        events.append(("step", seq, t0, real_perf_counter(), task_id, clock.now, resumed, suspended, task_line,
                       awaiting, w0))

    def emit_timer(self, kind, timer_id, when, task_id, label):
        """timer-scheduled (when is a number or None) and timer-fired (when is left out)."""
        if self.halted:
            return
        events = self.events
        seq = len(events)
        if seq >= self.max_events:
            self.events_truncated = True
            return
        if kind == "timer-fired":
            events.append((kind, seq, clock.now, real_perf_counter(), timer_id, task_id, label))
        else:
            events.append((kind, seq, clock.now, real_perf_counter(), timer_id, when, task_id, label))

    def emit_compact(self, kind, *fields):
        """task-created (task), task-done (task, end) and idle (to)."""
        if self.halted:
            return
        events = self.events
        seq = len(events)
        if seq >= self.max_events:
            self.events_truncated = True
            return
        events.append((kind, seq, clock.now, real_perf_counter()) + fields)

    def current_task_id(self):
        current = self.current
        return current.id if current is not None else None

    def record_for(self, task):
        return self.task_by_object.get(id(task))

    def task_label(self, task):
        record = self.task_by_object.get(id(task))
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
            # How to expand the compact events (arrays) of the list below; see emit_step.
            "wire": {"format": 1, "wallStart": self.wall_start},
            "tasks": [record.to_json() for record in self.tasks],
            "events": self.events,
        }
        return json.dumps(trace, ensure_ascii=False, separators=(",", ":"), default=str)
