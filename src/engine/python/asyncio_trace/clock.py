"""The virtual clock shared by the event loop and the patched `time` module.

Virtual time starts at 0.0 and only moves when the loop is idle (it jumps to the next timer)
or when something blocks (`time.sleep`, a simulated blocking request).
"""
import math
import operator
import sys
import time as _time

real_perf_counter = _time.perf_counter
real_sleep = _time.sleep


class VirtualClock:
    __slots__ = ("now",)

    def __init__(self):
        self.now = 0.0


clock = VirtualClock()


def _checked_sleep_seconds(secs):
    """Validates like CPython's time.sleep and returns the delay as a number."""
    if isinstance(secs, float):
        if math.isnan(secs):
            raise ValueError("Invalid value NaN (not a number)")
    else:
        secs = operator.index(secs)
    if secs < 0:
        raise ValueError("sleep length must be non-negative")
    if secs > 9.2e9:
        name = "C _PyTime_t" if sys.version_info < (3, 13) else "C PyTime_t"
        raise OverflowError("timestamp too large to convert to " + name)
    return secs


def install_time_module(on_blocking_sleep):
    """Points time.time/monotonic/perf_counter (and _ns) at the virtual clock; time.sleep blocks on it.

    `on_blocking_sleep(seconds, caller_frame)` is called before the clock advances so the
    recorder can attribute the blocked span to the running task and the user's line.
    """

    def time():
        return clock.now

    def monotonic():
        return clock.now

    def perf_counter():
        return clock.now

    def time_ns():
        return round(clock.now * 1_000_000_000)

    def sleep(secs):
        secs = _checked_sleep_seconds(secs)
        on_blocking_sleep(secs, sys._getframe(1))

    for fn, name in ((time, "time"), (monotonic, "monotonic"), (perf_counter, "perf_counter"), (sleep, "sleep")):
        fn.__qualname__ = fn.__name__ = name
        setattr(_time, name, fn)
    time_ns.__qualname__ = time_ns.__name__ = "time_ns"
    _time.time_ns = time_ns
    _time.monotonic_ns = time_ns
    _time.perf_counter_ns = time_ns
