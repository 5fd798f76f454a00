"""sys.stdout / sys.stderr wrappers: record each chunk in the trace and pass it through, up to a cap."""


class OutputBudget:
    """Shared by both streams: the total number of bytes the program may print."""

    def __init__(self, recorder, cap_bytes, marker_stream):
        self.recorder = recorder
        self.remaining = cap_bytes
        self.cap = cap_bytes
        self.marker_stream = marker_stream
        self.muted = False


class TracedStream:
    """A text stream that forwards to the real one; attributes not defined here are proxied."""

    def __init__(self, stream, name, budget):
        self._stream = stream
        self._name = name
        self._budget = budget

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        budget = self._budget
        if budget.muted:
            return len(text)
        size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
        if size <= budget.remaining:
            budget.remaining -= size
            budget.recorder.output(self._name, text)
            return self._stream.write(text)
        if budget.remaining > 0 or not budget.recorder.output_truncated:
            kept = text[: budget.remaining] if text.isascii() else _prefix_bytes(text, budget.remaining)
            budget.remaining = 0
            if kept:
                budget.recorder.output(self._name, kept)
                self._stream.write(kept)
            budget.recorder.output_truncated = True
            self._stream.flush()
            marker = "\n[asyncio-trace] output truncated after %d bytes\n" % budget.cap
            budget.recorder.output("stderr", marker)
            budget.marker_stream.write(marker)
            budget.marker_stream.flush()
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        return self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def __iter__(self):
        return iter(self._stream)

    def __repr__(self):
        return repr(self._stream)


def _prefix_bytes(text, limit):
    data = text.encode("utf-8", "surrogatepass")[:limit]
    return data.decode("utf-8", "ignore")
