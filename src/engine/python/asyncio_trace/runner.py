"""Runs one Python program as `__main__` on the virtual clock and returns (exit status, trace JSON).

Both hosts call `run(config)`; see ../README.md for the config keys. What the program prints,
its exit status and its tracebacks are CPython's; the engine's own messages start with
"asyncio-trace:" and only appear for outcomes CPython would not report (deadlock, livelock,
budget, stop).
"""
import ast
import atexit
import builtins
import gc
import importlib.machinery
import inspect
import os
import signal
import sys
import types

from . import clock as clock_module
from . import fidelity, lock_owners, netshims, virtual_loop
from .clock import clock, real_perf_counter
from .output import OutputBudget, TracedStream
from .recorder import Recorder, is_engine_file, is_user_file, user_location
from .virtual_loop import ProgramHalted, Stopped

EXIT_DEADLOCK = 124
EXIT_LIVELOCK = 125
EXIT_STOPPED = 130
EXIT_BUDGET = 152
EXIT_BY_STATUS = {"deadlock": EXIT_DEADLOCK, "livelock": EXIT_LIVELOCK, "stopped": EXIT_STOPPED,
                  "budget": EXIT_BUDGET}


def run(config):
    """Runs config["file"] (or config["source"]) and returns (exit_code, trace_json)."""
    recorder = run_program(config)
    return recorder.exit_code, recorder.to_json()


def run_program(config):
    """Runs the program and returns its Recorder, with exit_code set; to_json() is the trace.

    The hosts call this and to_json() separately and tell their host in between that the
    program is over: a stop that reaches the engine after that point has nothing left to stop,
    and writing a large trace can take longer than a stopped program is given to exit.
    """
    recorder = Recorder(config)
    real_stdout, real_stderr = sys.stdout, sys.stderr
    output = OutputBudget(recorder, int(config.get("output_cap_bytes") or 1024 * 1024), real_stderr)
    recorder.on_halt.append(lambda: setattr(output, "muted", True))
    sys.stdout = TracedStream(real_stdout, "stdout", output)
    sys.stderr = TracedStream(real_stderr, "stderr", output)
    try:
        _install(config, recorder)
        exit_code = _run_program(config, recorder, real_stderr)
    finally:
        _disarm_budget(config)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        sys.stdout, sys.stderr = real_stdout, real_stderr
    recorder.exit_code = exit_code
    return recorder


def _install(config, recorder):
    def on_blocking_sleep(seconds, frame):
        start = clock.now
        clock.now = start + seconds
        recorder.blocked(start, "time.sleep(%r)" % (seconds,), frame)

    clock_module.install_time_module(on_blocking_sleep)
    virtual_loop.install(recorder)
    lock_owners.install(recorder)
    fidelity.install_traceback_filter()
    fidelity.install_unawaited_warning(recorder)
    fidelity.install_warning_recorder(recorder)
    fidelity.install_log_recorder(recorder)
    netshims.install(recorder, float(config.get("simulated_latency", 0.1)))


def _arm_budget(config, recorder, real_stderr):
    """Local engine: the budget and the user's Ctrl-C/Stop arrive as signals in this process.

    Embedded: the host's own signal handlers raise KeyboardInterrupt; they are wrapped so the
    run halts at once (no cleanup code of the program runs after a stop, as when a process is
    killed), with the reason from config["stop_reason"].
    """
    seconds = float(config.get("budget_seconds") or 10)
    if config.get("engine") != "local":
        _wrap_host_interrupts(config, recorder, seconds)
        return

    def on_alarm(_signum, frame):
        signal.setitimer(signal.ITIMER_REAL, 0.5)  # fires again if the program swallows the first
        _halt_from_signal(recorder, "budget", seconds, frame)

    def on_interrupt(_signum, frame):
        signal.setitimer(signal.ITIMER_REAL, 0.5)  # as above: the alarm repeats the stop
        _halt_from_signal(recorder, "stopped", seconds, frame)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGINT, on_interrupt)
    signal.signal(signal.SIGTERM, on_interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)


# The embedded host's own handlers, put back when the program is over (see _disarm_budget).
_host_handlers = {}


def _wrap_host_interrupts(config, recorder, seconds):
    """Embedded: the host's handlers only record why it interrupted (config["stop_reason"]).

    Wrapped, they halt the program at once. A stop that came while the engine was still setting
    up was recorded without interrupting anything; _raise_pending_stop ends the program with it
    as soon as it starts.
    """
    reason = config.get("stop_reason")
    if not callable(reason):
        return
    for name in ("SIGINT", "SIGUSR1", "SIGALRM", "SIGTERM"):
        signum = getattr(signal, name, None)
        try:
            handler = signal.getsignal(signum) if signum is not None else None
        except (ValueError, OSError):
            continue
        if not callable(handler) or handler is signal.default_int_handler:
            continue

        def wrapped(signum, frame, _host_handler=handler):
            _host_handler(signum, frame)
            status = reason()
            if status in ("budget", "stopped"):
                _halt_from_signal(recorder, status, seconds, frame)

        try:
            signal.signal(signum, wrapped)
        except (ValueError, OSError):
            continue
        _host_handlers[signum] = handler


def _raise_pending_stop(config, recorder):
    reason = config.get("stop_reason")  # embedded only: the local engine's stops are its own signals
    status = reason() if callable(reason) else None
    if status in ("budget", "stopped"):
        raise _stop(recorder, status, float(config.get("budget_seconds") or 10), None)


def _disarm_budget(config):
    sys.settrace(None)
    if config.get("engine") == "local":
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        # The program is over: a stop that crosses the host's "program-ended" must not break the
        # trace being written (the host stops sending them once it has read that line).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        return
    # After the program, an interrupt must not break the writing of its trace: back to recording only.
    while _host_handlers:
        signum, handler = _host_handlers.popitem()
        try:
            signal.signal(signum, handler)
        except (ValueError, OSError):
            pass


def _stop(recorder, status, budget_seconds, frame):
    if recorder.halted:
        return recorder.halt_exception
    where = []
    current = recorder.current
    if current is not None:
        where.append("in %s" % current.live_name())
    location = user_location(frame)
    if location is not None:
        where.append("at line %d" % location["line"])
    place = ", " + " ".join(where) if where else ""
    if status == "budget":
        message = ("asyncio-trace: stopped after %g s of wall-clock time (the program was still running at "
                   "virtual t=%s%s)" % (budget_seconds, virtual_loop._fmt_time(clock.now), place))
    else:
        message = "asyncio-trace: stopped at virtual t=%s%s" % (virtual_loop._fmt_time(clock.now), place)
    exc = Stopped(status, message)
    recorder.halt(exc)
    return exc


def _halt_from_signal(recorder, status, seconds, frame):
    """What a stop signal does. The hosts repeat the signal while the program runs on (local:
    SIGALRM every 0.5 s; embedded: the host re-sends it), because the first can be swallowed: in a
    finalizer (`__del__`, a weakref callback), whose exceptions Python ignores, or by the
    program's own `except`. Each one raises the same exception again and arms
    _raise_at_next_line, except in the engine's own code, where the program is already over or on
    its way back to the loop, which raises it at its next iteration.
    """
    first = not recorder.halted
    exc = _stop(recorder, status, seconds, frame)
    if not first and frame is not None and is_engine_file(frame.f_code.co_filename):
        return
    _raise_at_next_line(exc, frame)
    raise exc


def _raise_at_next_line(exc, frame):
    """Raises the stop again at the next line of the program's own code that is not in a finalizer.

    Python drops a trace function once it raises, so this acts once per signal; _disarm_budget
    removes it when the runner has control again.
    """
    def raise_at_line(frame, event, arg):
        if not is_user_file(frame.f_code.co_filename):
            return None
        if event != "line" and event != "call":
            return raise_at_line  # "exception" comes first, where the stop was raised: still inside its try
        caller = frame
        while caller is not None:
            if caller.f_code.co_name == "__del__":
                return None  # raised here it would be ignored: not traced, the finalizer runs at full speed
            caller = caller.f_back
        raise exc

    sys.settrace(raise_at_line)
    # settrace only reaches frames entered from now on: the ones already running get it too.
    while frame is not None:
        if is_user_file(frame.f_code.co_filename):
            frame.f_trace = raise_at_line
        frame = frame.f_back


def _program_name():
    argv = getattr(sys, "orig_argv", None) or [sys.executable or "python3"]
    return argv[0]


def _read_source(config, real_stderr):
    source = config.get("source")
    if source is not None:
        return source.encode("utf-8") if isinstance(source, str) else bytes(source)
    path = config["file"]
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        real_stderr.write("%s: can't open file %r: [Errno %d] %s\n" % (_program_name(), path, exc.errno, exc.strerror))
        real_stderr.flush()
        return None


def _new_main_module(path):
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__cached__ = None
    main.__builtins__ = builtins
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", path)
    if sys.version_info < (3, 14):
        main.__annotations__ = {}
    return main


def _run_program(config, recorder, real_stderr):
    path = config["file"]
    data = _read_source(config, real_stderr)
    if data is None:
        recorder.status = "ok"
        return 2
    main = _new_main_module(path)
    sys.modules["__main__"] = main
    sys.argv = [path] + list(config.get("args") or [])
    sys.path[0] = os.path.dirname(path)
    try:
        _check_source_encoding(data, path)
        if b"\0" in data:
            line = data[: data.index(b"\0")].count(b"\n") + 1
            raise SyntaxError("source code cannot contain null bytes", (path, line, None, ""))
        # A notebook cell (config["top_level_await"]) compiles as IPython compiles it: a cell that
        # awaits at top level becomes a coroutine code object; any other cell compiles as before.
        flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if config.get("top_level_await") else 0
        code = compile(data, path, "exec", flags=flags, dont_inherit=True)
    except SyntaxError as exc:
        exc.__traceback__ = None
        return _report_uncaught(exc, recorder)
    exit_code = 0
    _hide_engine_stack_depth()
    _arm_budget(config, recorder, real_stderr)
    on_program_start = config.get("on_program_start")
    if callable(on_program_start):
        on_program_start()
    # Everything alive now (the stdlib, the engine, Pyodide's snapshot heap) lives until the end:
    # moved out of the collector's sight, it is not rescanned by every full collection the
    # program triggers, nor by the collection at exit. Only the program's own objects are.
    gc.freeze()
    recorder.program_started()
    try:
        _raise_pending_stop(config, recorder)
        if code.co_flags & inspect.CO_COROUTINE:
            _run_cell_coroutine(code, main.__dict__)
        else:
            exec(code, main.__dict__)
    except SystemExit as exc:
        exit_code = _exit_status(exc)
        if sys.version_info < (3, 12):
            # CPython 3.11 never writes the top-level frames into an uncaught SystemExit's
            # __traceback__ (only handlers do); a task that stored it logs it without them.
            tb = exc.__traceback__
            while tb is not None and (tb.tb_frame.f_code is code or is_engine_file(tb.tb_frame.f_code.co_filename)):
                tb = tb.tb_next
            exc.__traceback__ = tb
            del tb
    except KeyboardInterrupt as exc:
        if not isinstance(exc, Stopped) and not recorder.halted:
            reason = config.get("stop_reason")
            status = reason() if callable(reason) else None
            if status in ("budget", "stopped"):
                _stop(recorder, status, float(config.get("budget_seconds") or 10), exc.__traceback__ and _last_frame(exc))
            else:
                exit_code = _report_uncaught(exc, recorder)
                exit_code = EXIT_STOPPED
    except ProgramHalted:
        pass
    except BaseException as exc:
        if not recorder.halted:
            exit_code = _report_uncaught(exc, recorder)
    if recorder.halted:
        _disarm_budget(config)
        halt = recorder.halt_exception
        real_stderr.flush()
        sys.__stdout__.flush() if sys.__stdout__ else None
        real_stderr.write(halt.message + "\n")
        real_stderr.flush()
        return EXIT_BY_STATUS[recorder.status]
    try:
        _emulate_interpreter_exit(main, recorder)
    except Stopped:
        return EXIT_BY_STATUS[recorder.status]
    if recorder.halted:
        real_stderr.write(recorder.halt_exception.message + "\n")
        return EXIT_BY_STATUS[recorder.status]
    return exit_code


def _run_cell_coroutine(code, namespace):
    """Runs a top-level-await cell as Jupyter's autoawait does: the cell's body is the main task.

    Jupyter awaits the cell on its kernel's already-running loop. Here a fresh virtual-clock loop
    plays that part, driven like asyncio.run() (asyncio.Runner): the cell becomes Task-1, and
    tasks still pending when it ends are cancelled, async generators and the default executor
    shut down. Inside the cell the loop is running, so asyncio.run() raises "cannot be called
    from a running event loop" exactly as in a notebook.
    """
    import asyncio

    coroutine = eval(code, namespace)
    try:
        with asyncio.Runner() as runner:
            runner.run(coroutine)
    except BaseException as exc:
        # In Jupyter the traceback starts at the cell: the kernel's own frames above it are not
        # shown. Ours (this module, asyncio.Runner, run_until_complete) are dropped the same way;
        # the frames from the cell down, stdlib ones included, are kept as raised.
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code is not code:
            tb = tb.tb_next
        if tb is not None:
            exc.__traceback__ = tb
        del tb
        raise


def _check_source_encoding(data, path):
    """CPython's reader rejects undecodable bytes before anything else, with this exact message."""
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"  # undecodable first lines: the check below gives CPython's message
    if encoding not in ("utf-8", "utf-8-sig"):
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SyntaxError("Non-UTF-8 code starting with '\\x%02x' in file %s on line %d, but no encoding "
                          "declared; see https://peps.python.org/pep-0263/ for details"
                          % (data[exc.start], path, line)) from None


def _hide_engine_stack_depth():
    """The program's <module> frame sits on top of the engine's frames; CPython's sits at depth 1.

    Raise the recursion limit by the engine's depth (and report it without that offset), so a
    runaway recursion fails at the same depth as under plain python3.
    """
    # The program's <module> frame will sit where this function's frame sits: on the frames
    # below it. Up to 3.11 the exec() that runs it also takes one unit of the limit (C calls and
    # Python frames share one counter there); from 3.12 on only Python frames count.
    depth = 1 if sys.version_info < (3, 12) else 0
    frame = sys._getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back
    original_get, original_set = sys.getrecursionlimit, sys.setrecursionlimit

    def getrecursionlimit():
        return original_get() - depth

    def setrecursionlimit(limit):
        if not isinstance(limit, int):
            return original_set(limit)
        if limit < 1:
            raise ValueError("recursion limit must be greater or equal than 1")
        return original_set(limit + depth)

    original_set(original_get() + depth)
    sys.getrecursionlimit = getrecursionlimit
    sys.setrecursionlimit = setrecursionlimit


def _last_frame(exc):
    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame


def _exit_status(exc):
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        sys.stderr.write(str(code) + "\n")
    except Exception:
        pass
    return 1


def _report_uncaught(exc, recorder):
    fidelity.strip_engine_frames(exc)
    recorder.uncaught = fidelity.describe_uncaught(exc)
    try:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    except BaseException:
        pass
    return 1


def _emulate_interpreter_exit(main, recorder):
    """What CPython does after __main__ finishes: atexit handlers, then module globals are cleared.

    Coroutines still referenced by globals are finalized here, with no Python frame running, so
    their "never awaited" warnings read `sys:1:` exactly as in CPython.
    """
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    recorder.program_ended()
    namespace = main.__dict__
    # By then CPython has emptied sys.modules, so warnings cannot import tracemalloc to suggest it.
    saved_tracemalloc = sys.modules.get("tracemalloc")
    sys.modules["tracemalloc"] = None
    try:
        for name in list(namespace):
            if name.startswith("_") and not name.startswith("__"):
                namespace[name] = None
        for name in list(namespace):
            if name != "__builtins__":
                namespace[name] = None
        gc.collect()
    finally:
        if saved_tracemalloc is None:
            del sys.modules["tracemalloc"]
        else:
            sys.modules["tracemalloc"] = saved_tracemalloc
