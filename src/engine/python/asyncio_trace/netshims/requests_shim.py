"""Simulated requests (asyncio-trace): each call blocks for the simulated latency on the virtual clock."""
import json as _json
import sys as _sys

from asyncio_trace import netshims as _net

__version__ = "2.31.0+asyncio-trace"


class RequestException(OSError):
    def __init__(self, *args, request=None, response=None):
        super().__init__(*args)
        self.request = request
        self.response = response


class HTTPError(RequestException):
    pass


class ConnectionError(RequestException):
    pass


class Timeout(RequestException):
    pass


class ConnectTimeout(ConnectionError, Timeout):
    pass


class ReadTimeout(Timeout):
    pass


class InvalidURL(RequestException, ValueError):
    pass


class MissingSchema(RequestException, ValueError):
    pass


class JSONDecodeError(RequestException, ValueError):
    pass


class exceptions:  # requests.exceptions.X also works through the submodule alias
    RequestException = RequestException
    HTTPError = HTTPError
    ConnectionError = ConnectionError
    Timeout = Timeout
    ConnectTimeout = ConnectTimeout
    ReadTimeout = ReadTimeout
    InvalidURL = InvalidURL
    MissingSchema = MissingSchema
    JSONDecodeError = JSONDecodeError


class Response:
    def __init__(self, method, url, status, body, content_type):
        self.status_code = status
        self.url = url
        self.reason = _net.reason_phrase(status)
        self.headers = {"Content-Type": content_type + "; charset=utf-8"}
        self.encoding = "utf-8"
        self.text = body
        self.content = body.encode("utf-8")
        self.request = type("PreparedRequest", (), {"method": method, "url": url})()
        self.elapsed = None

    @property
    def ok(self):
        return self.status_code < 400

    def json(self, **kwargs):
        try:
            return _json.loads(self.text, **kwargs)
        except ValueError as exc:
            raise JSONDecodeError(str(exc)) from None

    def raise_for_status(self):
        if self.status_code >= 400:
            kind = "Client" if self.status_code < 500 else "Server"
            raise HTTPError("%d %s Error: %s for url: %s" % (self.status_code, kind, self.reason, self.url), response=self)

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __repr__(self):
        return "<Response [%d]>" % self.status_code


def _timeout_seconds(timeout):
    if isinstance(timeout, tuple):
        return sum(t for t in timeout if t is not None) if any(t is not None for t in timeout) else None
    return timeout


def request(method, url, *, timeout=None, data=None, json=None, _frame=None, **_options):
    method = method.upper()
    url = str(url)
    if not url.startswith(("http://", "https://")):
        raise MissingSchema("Invalid URL %r: No scheme supplied. Perhaps you meant https://%s?" % (url, url))
    status, body, content_type = _net.blocking_request("requests", method, url, _timeout_seconds(timeout),
                                                       json if json is not None else data,
                                                       _frame or _sys._getframe(1))
    if status is None:
        raise ReadTimeout("HTTPSConnectionPool: Read timed out. (read timeout=%s)" % (timeout,))
    return Response(method, url, status, body, content_type)


def get(url, params=None, **kwargs):
    return request("GET", url, _frame=_sys._getframe(1), **kwargs)


def post(url, data=None, json=None, **kwargs):
    return request("POST", url, data=data, json=json, _frame=_sys._getframe(1), **kwargs)


def put(url, data=None, **kwargs):
    return request("PUT", url, data=data, _frame=_sys._getframe(1), **kwargs)


def patch(url, data=None, **kwargs):
    return request("PATCH", url, data=data, _frame=_sys._getframe(1), **kwargs)


def delete(url, **kwargs):
    return request("DELETE", url, _frame=_sys._getframe(1), **kwargs)


def head(url, **kwargs):
    return request("HEAD", url, _frame=_sys._getframe(1), **kwargs)


class Session:
    def __init__(self):
        self.headers = {}

    def request(self, method, url, **kwargs):
        kwargs.setdefault("_frame", _sys._getframe(1))
        return request(method, url, **kwargs)

    def get(self, url, **kwargs):
        return self.request("GET", url, _frame=_sys._getframe(1), **kwargs)

    def post(self, url, data=None, json=None, **kwargs):
        return self.request("POST", url, data=data, json=json, _frame=_sys._getframe(1), **kwargs)

    def put(self, url, data=None, **kwargs):
        return self.request("PUT", url, data=data, _frame=_sys._getframe(1), **kwargs)

    def delete(self, url, **kwargs):
        return self.request("DELETE", url, _frame=_sys._getframe(1), **kwargs)

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


session = Session
