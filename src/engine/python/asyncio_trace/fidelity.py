"""Keeping what the program sees identical to CPython: tracebacks without the engine's frames,
"coroutine ... was never awaited" warnings as CPython prints them, asyncio's log records.
"""
import logging
import sys
import traceback
import types
import warnings

from .clock import clock
from .recorder import is_engine_file, user_location


def strip_engine_frames(exc, _seen=None):
    """Removes asyncio-trace's frames from `exc`'s traceback and from its cause/context/group members."""
    if exc is None:
        return
    seen = _seen if _seen is not None else set()
    if id(exc) in seen:
        return
    seen.add(id(exc))
    kept = []
    tb = exc.__traceback__
    changed = False
    while tb is not None:
        if is_engine_file(tb.tb_frame.f_code.co_filename):
            changed = True
        else:
            kept.append(tb)
        tb = tb.tb_next
    if changed:
        rebuilt = None
        for entry in reversed(kept):
            rebuilt = types.TracebackType(rebuilt, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
        exc.__traceback__ = rebuilt
    strip_engine_frames(exc.__cause__, seen)
    strip_engine_frames(exc.__context__, seen)
    for member in getattr(exc, "exceptions", None) or ():
        if isinstance(member, BaseException):
            strip_engine_frames(member, seen)


def install_traceback_filter():
    """traceback's walkers skip our frames, so logging, print_exc and print_stack stay clean."""
    summary = traceback.StackSummary
    original = summary._extract_from_extended_frame_gen.__func__

    def _extract_from_extended_frame_gen(klass, frame_gen, **kwargs):
        kept = ((frame, position) for frame, position in frame_gen
                if not is_engine_file(frame.f_code.co_filename))
        return original(klass, kept, **kwargs)

    summary._extract_from_extended_frame_gen = classmethod(_extract_from_extended_frame_gen)


# The origin-tracking depth we set to learn where unawaited coroutines were created. Any other
# depth was set by the program (or asyncio debug mode), and then CPython's own text is printed.
ORIGIN_DEPTH = 1
# Where warnings point when no Python frame is running (interpreter exit): CPython 3.13 changed it.
NO_FRAME_LOCATION = ("sys", 1) if sys.version_info < (3, 13) else ("<sys>", 0)


def install_unawaited_warning(recorder):
    original = warnings._warn_unawaited_coroutine
    sys.set_coroutine_origin_tracking_depth(ORIGIN_DEPTH)

    def _warn_unawaited_coroutine(coro):
        if sys.get_coroutine_origin_tracking_depth() != ORIGIN_DEPTH:
            return original(coro)
        message = "coroutine '%s' was never awaited" % (coro.__qualname__,)
        frame = sys._getframe(1)
        while frame is not None and is_engine_file(frame.f_code.co_filename):
            frame = frame.f_back
        origin = coro.cr_origin
        created = {"file": origin[0][0], "line": origin[0][1]} if origin else None
        recorder.emit({"kind": "warning", "category": "RuntimeWarning", "message": message,
                       "location": {"file": frame.f_code.co_filename, "line": frame.f_lineno} if frame else
                       {"file": NO_FRAME_LOCATION[0], "line": NO_FRAME_LOCATION[1]},
                       "createdAt": created, "createdBy": recorder.current_task_id()})
        if frame is None:
            module_globals = sys.__dict__
            (filename, lineno), module = NO_FRAME_LOCATION, "sys"
        else:
            module_globals = frame.f_globals
            filename, lineno = frame.f_code.co_filename, frame.f_lineno
            module = module_globals.get("__name__", "<string>")
        registry = module_globals.setdefault("__warningregistry__", {})
        warnings.warn_explicit(message, RuntimeWarning, filename, lineno, module, registry,
                               module_globals, source=coro)

    warnings._warn_unawaited_coroutine = _warn_unawaited_coroutine


def install_warning_recorder(recorder):
    """Records every warning that is shown (after filters), with its location."""
    # warnings (and the C _warnings module) show warnings through warnings._showwarnmsg, which
    # still honours a program's own warnings.showwarning; wrapping it keeps `source` intact.
    original = warnings._showwarnmsg

    def _showwarnmsg(msg):
        text = str(msg.message)
        if not text.startswith("coroutine '") or not text.endswith("was never awaited"):
            recorder.emit({"kind": "warning", "category": msg.category.__name__, "message": text,
                           "location": {"file": msg.filename, "line": msg.lineno}})
        return original(msg)

    warnings._showwarnmsg = _showwarnmsg


def install_log_recorder(recorder):
    original = logging.Logger.handle

    def handle(self, record):
        if not self.disabled:
            try:
                text = record.getMessage()
            except Exception:
                text = str(record.msg)
            recorder.emit({"kind": "log", "logger": record.name, "level": record.levelname, "message": text,
                           "task": recorder.current_task_id(),
                           "location": {"file": record.pathname, "line": record.lineno}})
        return original(self, record)

    logging.Logger.handle = handle


def exception_line(exc):
    """The last line CPython prints for `exc` (before any notes): 'TypeError: ...'."""
    lines = traceback.format_exception_only(type(exc), exc)
    stype = type(exc).__qualname__
    module = type(exc).__module__
    if module not in ("__main__", "builtins"):
        stype = module + "." + stype
    for text in reversed(lines):
        if text.startswith(stype):
            return text.rstrip("\n")
    return lines[-1].rstrip("\n") if lines else stype


def describe_uncaught(exc):
    tb = exc.__traceback__
    location = None
    while tb is not None:
        location = {"file": tb.tb_frame.f_code.co_filename, "line": tb.tb_lineno}
        tb = tb.tb_next
    if isinstance(exc, SyntaxError) and exc.filename:
        location = {"file": exc.filename, "line": exc.lineno or 0}
    result = {"type": type(exc).__name__, "message": _message(exc), "line": exception_line(exc),
              "location": location}
    if isinstance(exc, BaseExceptionGroup):
        leaves = []
        _collect_leaves(exc, leaves)
        result["exceptions"] = [describe_uncaught(leaf) for leaf in leaves]
    return result


def _collect_leaves(group, leaves):
    for member in group.exceptions:
        if isinstance(member, BaseExceptionGroup):
            _collect_leaves(member, leaves)
        else:
            leaves.append(member)


def _message(exc):
    if isinstance(exc, SyntaxError):
        return str(exc.msg)
    try:
        return str(exc)
    except Exception:
        return ""


def halt_location(frame):
    return user_location(frame), clock.now
