"""Simulated httpx (asyncio-trace): AsyncClient waits on the virtual clock; Client and get/post block it."""
import json as _json
import sys as _sys

from asyncio_trace import netshims as _net

__version__ = "0.27.0+asyncio-trace"


class HTTPError(Exception):
    pass


class RequestError(HTTPError):
    pass


class TransportError(RequestError):
    pass


class TimeoutException(TransportError):
    pass


class ReadTimeout(TimeoutException):
    pass


class ConnectError(TransportError):
    pass


class InvalidURL(Exception):
    pass


class HTTPStatusError(HTTPError):
    def __init__(self, message, *, request=None, response=None):
        super().__init__(message)
        self.request = request
        self.response = response


class Timeout:
    def __init__(self, timeout=5.0, *, connect=None, read=None, write=None, pool=None):
        self.timeout = timeout
        self.connect, self.read, self.write, self.pool = connect, read, write, pool


class Request:
    def __init__(self, method, url):
        self.method = method
        self.url = url

    def __repr__(self):
        return "<Request(%r, %r)>" % (self.method, self.url)


class Response:
    def __init__(self, method, url, status, body, content_type):
        self.status_code = status
        self.reason_phrase = _net.reason_phrase(status)
        self.url = url
        self.request = Request(method, url)
        self.headers = {"content-type": content_type + "; charset=utf-8"}
        self.encoding = "utf-8"
        self.text = body
        self.content = body.encode("utf-8")
        self.http_version = "HTTP/1.1"

    @property
    def is_success(self):
        return 200 <= self.status_code < 300

    @property
    def is_error(self):
        return self.status_code >= 400

    def json(self, **kwargs):
        return _json.loads(self.text, **kwargs)

    def read(self):
        return self.content

    async def aread(self):
        return self.content

    def raise_for_status(self):
        if self.status_code >= 400:
            kind = "Client error" if self.status_code < 500 else "Server error"
            raise HTTPStatusError("%s '%d %s' for url '%s'" % (kind, self.status_code, self.reason_phrase, self.url),
                                  request=self.request, response=self)
        return self

    def __repr__(self):
        return "<Response [%d %s]>" % (self.status_code, self.reason_phrase)


def _seconds(timeout):
    if isinstance(timeout, Timeout):
        return timeout.read if timeout.read is not None else timeout.timeout
    return timeout


def _check_url(url):
    url = str(url)
    if not url.startswith(("http://", "https://")):
        raise InvalidURL("Request URL is missing an 'http://' or 'https://' protocol.")
    return url


_DEFAULT_TIMEOUT = 5.0


class AsyncClient:
    def __init__(self, *, base_url="", timeout=_DEFAULT_TIMEOUT, headers=None, **_options):
        self._base_url = str(base_url)
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.is_closed = False

    def _url(self, url):
        url = str(url)
        if self._base_url and not url.startswith(("http://", "https://")):
            return self._base_url.rstrip("/") + "/" + url.lstrip("/")
        return url

    async def request(self, method, url, *, timeout=None, data=None, json=None, **_options):
        method = method.upper()
        url = _check_url(self._url(url))
        import asyncio

        try:
            status, body, content_type = await _net.simulated_request(
                "httpx", method, url, _seconds(timeout if timeout is not None else self.timeout),
                json if json is not None else data)
        except asyncio.TimeoutError:
            raise ReadTimeout("timed out") from None
        return Response(method, url, status, body, content_type)

    async def get(self, url, **kwargs):
        return await self.request("GET", url, **kwargs)

    async def post(self, url, **kwargs):
        return await self.request("POST", url, **kwargs)

    async def put(self, url, **kwargs):
        return await self.request("PUT", url, **kwargs)

    async def patch(self, url, **kwargs):
        return await self.request("PATCH", url, **kwargs)

    async def delete(self, url, **kwargs):
        return await self.request("DELETE", url, **kwargs)

    async def head(self, url, **kwargs):
        return await self.request("HEAD", url, **kwargs)

    async def aclose(self):
        self.is_closed = True

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.aclose()
        return False


class Client:
    def __init__(self, *, base_url="", timeout=_DEFAULT_TIMEOUT, headers=None, **_options):
        self._base_url = str(base_url)
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.is_closed = False

    def request(self, method, url, *, timeout=None, data=None, json=None, _frame=None, **_options):
        method = method.upper()
        if self._base_url and not str(url).startswith(("http://", "https://")):
            url = self._base_url.rstrip("/") + "/" + str(url).lstrip("/")
        url = _check_url(url)
        status, body, content_type = _net.blocking_request(
            "httpx", method, url, _seconds(timeout if timeout is not None else self.timeout),
            json if json is not None else data, _frame or _sys._getframe(1))
        if status is None:
            raise ReadTimeout("timed out")
        return Response(method, url, status, body, content_type)

    def get(self, url, **kwargs):
        return self.request("GET", url, _frame=_sys._getframe(1), **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, _frame=_sys._getframe(1), **kwargs)

    def put(self, url, **kwargs):
        return self.request("PUT", url, _frame=_sys._getframe(1), **kwargs)

    def delete(self, url, **kwargs):
        return self.request("DELETE", url, _frame=_sys._getframe(1), **kwargs)

    def close(self):
        self.is_closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def request(method, url, **kwargs):
    kwargs.setdefault("_frame", _sys._getframe(1))
    return Client().request(method, url, **kwargs)


def get(url, **kwargs):
    return request("GET", url, _frame=_sys._getframe(1), **kwargs)


def post(url, **kwargs):
    return request("POST", url, _frame=_sys._getframe(1), **kwargs)


def put(url, **kwargs):
    return request("PUT", url, _frame=_sys._getframe(1), **kwargs)


def delete(url, **kwargs):
    return request("DELETE", url, _frame=_sys._getframe(1), **kwargs)
