"""Local engine entry point: `python3 run_traced.py` with the config JSON in $ASYNCIO_TRACE_CONFIG.

The program's output goes to the real stdout/stderr. File descriptor 3 gets the line
"program-started" when the program starts, "program-ended" when it is over, then the trace JSON.
The process exits with the program's status (see README.md).
"""
import json
import os
import signal
import sys

# A stop request that arrives before the runner installs its own handlers ends the run quietly;
# the host reports it as "stopped".
signal.signal(signal.SIGINT, lambda *_: os._exit(130))


def _import_runner():
    """Imports the tracer, whose compiled modules are cached beside it (__pycache__) even when
    PYTHONDONTWRITEBYTECODE is set: compiling them on every run costs 20-30 ms. The setting is
    back in force before the program starts, so the program's own modules still get no .pyc."""
    saved = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    try:
        from asyncio_trace.runner import run_program
    finally:
        sys.dont_write_bytecode = saved
    return run_program


def main():
    config = json.loads(os.environ.pop("ASYNCIO_TRACE_CONFIG"))
    config["engine"] = "local"
    try:
        os.set_inheritable(3, False)  # a process the program starts must not hold the trace pipe open
        trace_out = os.fdopen(3, "w", encoding="utf-8")
    except OSError:
        trace_out = None  # no fd 3: run by hand, nobody wants the trace

    def tell_host(line):
        # Phase lines ahead of the trace: the host times the budget from "program-started", and
        # after "program-ended" waits for the trace instead of killing a process that overran.
        if trace_out is not None:
            try:
                trace_out.write(line + "\n")
                trace_out.flush()
            except OSError:
                pass

    run_program = _import_runner()
    config["on_program_start"] = lambda: tell_host("program-started")
    recorder = run_program(config)
    tell_host("program-ended")
    trace = recorder.to_json()
    if trace_out is not None:
        try:
            with trace_out:
                trace_out.write(trace)
        except OSError:
            pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    # The interpreter exit was already emulated for the program; a second one would repeat it.
    os._exit(recorder.exit_code)


if __name__ == "__main__":
    main()
