"""Local engine entry point: `python3 run_traced.py` with the config JSON in $ASYNCIO_TRACE_CONFIG.

The program's output goes to the real stdout/stderr, the trace JSON to file descriptor 3, and the
process exits with the program's status (see README.md).
"""
import json
import os
import signal
import sys

# A stop request that arrives before the runner installs its own handlers ends the run quietly;
# the host reports it as "stopped".
signal.signal(signal.SIGINT, lambda *_: os._exit(130))


def main():
    config = json.loads(os.environ.pop("ASYNCIO_TRACE_CONFIG"))
    config["engine"] = "local"
    from asyncio_trace.runner import run

    exit_code, trace = run(config)
    try:
        with os.fdopen(3, "w", encoding="utf-8") as trace_out:
            trace_out.write(trace)
    except OSError:
        pass  # no fd 3: run by hand, nobody wants the trace
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    # The interpreter exit was already emulated for the program; a second one would repeat it.
    os._exit(exit_code)


if __name__ == "__main__":
    main()
