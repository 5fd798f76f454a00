"""Simulated network libraries: `aiohttp`, `requests` and `httpx` are served by small fakes.

Imports of those three names (and their submodules) are answered by a meta-path finder placed
first on sys.meta_path, so even when the real package is installed (local engine) the program
talks to the simulated network: runs stay offline and deterministic. Every request takes
`simulated_latency` virtual seconds and returns a small deterministic body that mentions its URL.
"""
import importlib.abc
import importlib.util
import json
import os
import sys
from urllib.parse import urlsplit

from ..clock import clock

SHIMS = {"aiohttp": "aiohttp_shim.py", "requests": "requests_shim.py", "httpx": "httpx_shim.py"}
_HERE = os.path.dirname(os.path.abspath(__file__))


class _State:
    recorder = None
    latency = 0.1


state = _State()


def install(recorder, latency):
    state.recorder = recorder
    state.latency = latency
    if not any(isinstance(finder, ShimFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, ShimFinder())


class ShimFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top not in SHIMS:
            return None
        is_package = fullname == top
        spec = importlib.util.spec_from_loader(fullname, ShimLoader(top), is_package=is_package)
        spec.origin = os.path.join(_HERE, SHIMS[top])
        return spec


class ShimLoader(importlib.abc.Loader):
    def __init__(self, top):
        self.top = top

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        if module.__name__ != self.top:
            # Submodules (aiohttp.client_exceptions, requests.exceptions...) re-export the package.
            parent = importlib.import_module(self.top)
            module.__dict__.update({k: v for k, v in vars(parent).items() if not k.startswith("__")})
            return
        path = os.path.join(_HERE, SHIMS[self.top])
        with open(path, encoding="utf-8") as handle:
            code = compile(handle.read(), path, "exec")
        module.__file__ = path
        exec(code, module.__dict__)


# -- what every shim shares -------------------------------------------------------------------------

def fake_status(url):
    """httpbin-style: a path ending in /status/404 answers 404; everything else 200."""
    parts = urlsplit(url).path.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] == "status" and parts[-1].isdigit():
        return int(parts[-1])
    return 200


def fake_body(method, url, data=None):
    """A deterministic body: JSON for API-looking URLs, otherwise a small HTML page naming the URL."""
    split = urlsplit(url)
    path = split.path or "/"
    if path.endswith(".json") or "json" in path or "/api" in path or path.rstrip("/") in ("/get", "/post", "/put", "/delete", "/anything"):
        payload = {"url": url, "method": method, "simulated": True, "args": dict(_query_pairs(split.query))}
        if data is not None:
            payload["data"] = data if isinstance(data, (str, int, float, bool, list, dict)) else str(data)
        return json.dumps(payload, ensure_ascii=False), "application/json"
    html = ("<!doctype html>\n<html><head><title>%s</title></head>\n<body><h1>Simulated page</h1>\n"
            "<p>asyncio-trace served this page for %s %s without using the network.</p>\n</body></html>\n"
            % (split.netloc or url, method, url))
    return html, "text/html"


def _query_pairs(query):
    for part in filter(None, query.split("&")):
        key, _, value = part.partition("=")
        yield key, value


def reason_phrase(status):
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def record_network(library, method, url, status, start, blocking, task_id):
    recorder = state.recorder
    if recorder is None:
        return
    recorder.network_simulated = True
    recorder.emit({"kind": "network", "t": start, "tEnd": clock.now, "library": library, "method": method,
                   "url": url, "status": status, "task": task_id, "blocking": blocking})


async def simulated_request(library, method, url, timeout=None, data=None):
    """Waits the simulated latency on the virtual clock; returns (status, text, content_type)."""
    import asyncio

    recorder = state.recorder
    record = recorder.current if recorder is not None else None
    task_id = record.id if record is not None else None
    start = clock.now
    latency = state.latency
    if record is not None:
        record.network = "%s %s" % (method, url)
    try:
        if timeout is not None and timeout < latency:
            await asyncio.sleep(timeout)
            raise asyncio.TimeoutError()
        await asyncio.sleep(latency)
    finally:
        if record is not None:
            record.network = None
    status = fake_status(url)
    text, content_type = fake_body(method, url, data)
    record_network(library, method, url, status, start, False, task_id)
    return status, text, content_type


def blocking_request(library, method, url, timeout=None, data=None, frame=None):
    """The blocking flavour (requests, httpx.Client): the loop is blocked while the clock advances."""
    recorder = state.recorder
    task_id = recorder.current_task_id() if recorder is not None else None
    start = clock.now
    latency = state.latency
    timed_out = timeout is not None and timeout < latency
    clock.now = start + (timeout if timed_out else latency)
    if recorder is not None:
        recorder.blocked(start, "%s.%s(%r)" % (library, method.lower(), url), frame or sys._getframe(2))
    if timed_out:
        return None, None, None
    status = fake_status(url)
    text, content_type = fake_body(method, url, data)
    record_network(library, method, url, status, start, True, task_id)
    return status, text, content_type
