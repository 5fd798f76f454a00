"""Simulated aiohttp (asyncio-trace): ClientSession requests wait on the virtual clock, no network."""
import asyncio as _asyncio
import json as _json

from asyncio_trace import netshims as _net

__version__ = "3.9.0+asyncio-trace"


class ClientError(Exception):
    pass


class ClientConnectionError(ClientError):
    pass


class ClientResponseError(ClientError):
    def __init__(self, request_info=None, history=(), *, status=None, message="", headers=None):
        super().__init__(request_info, history)
        self.request_info = request_info
        self.history = history
        self.status = status or 0
        self.message = message
        self.headers = headers

    def __str__(self):
        return "%s, message=%r, url=%r" % (self.status, self.message, getattr(self.request_info, "real_url", None))


class ContentTypeError(ClientResponseError):
    pass


class ServerTimeoutError(ClientConnectionError, _asyncio.TimeoutError):
    pass


class InvalidURL(ClientError, ValueError):
    pass


class ClientTimeout:
    def __init__(self, total=None, connect=None, sock_read=None, sock_connect=None, ceil_threshold=5):
        self.total = total
        self.connect = connect
        self.sock_read = sock_read
        self.sock_connect = sock_connect
        self.ceil_threshold = ceil_threshold

    def __repr__(self):
        return "ClientTimeout(total=%r, connect=%r, sock_read=%r, sock_connect=%r, ceil_threshold=%r)" % (
            self.total, self.connect, self.sock_read, self.sock_connect, self.ceil_threshold)


class RequestInfo:
    def __init__(self, url, method, headers):
        self.url = self.real_url = url
        self.method = method
        self.headers = headers


class ClientResponse:
    def __init__(self, method, url, status, body, content_type):
        self.method = method
        self.url = self.real_url = url
        self.status = status
        self.reason = _net.reason_phrase(status)
        self.content_type = content_type
        self.headers = {"Content-Type": content_type + "; charset=utf-8", "Content-Length": str(len(body.encode()))}
        self.request_info = RequestInfo(url, method, {})
        self.history = ()
        self.closed = False
        self._body = body

    @property
    def ok(self):
        return self.status < 400

    async def text(self, encoding=None, errors="strict"):
        return self._body

    async def read(self):
        return self._body.encode("utf-8")

    async def json(self, *, encoding=None, loads=_json.loads, content_type="application/json"):
        if content_type and content_type not in self.content_type:
            raise ContentTypeError(self.request_info, self.history, status=self.status,
                                   message="Attempt to decode JSON with unexpected mimetype: %s" % self.content_type)
        return loads(self._body)

    def raise_for_status(self):
        if self.status >= 400:
            raise ClientResponseError(self.request_info, self.history, status=self.status, message=self.reason)

    def release(self):
        self.closed = True

    def close(self):
        self.closed = True

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        self.release()
        return False

    def __repr__(self):
        return "<ClientResponse(%s) [%d %s]>" % (self.url, self.status, self.reason)


class _RequestContextManager:
    """What session.get() returns: awaitable, and an async context manager that releases the response."""

    def __init__(self, coro):
        self._coro = coro
        self._response = None

    def __await__(self):
        return self._coro.__await__()

    async def __aenter__(self):
        self._response = await self._coro
        return self._response

    async def __aexit__(self, exc_type, exc, tb):
        if self._response is not None:
            self._response.release()
        return False


class ClientSession:
    def __init__(self, base_url=None, *, timeout=None, headers=None, raise_for_status=False, **_options):
        self._base_url = base_url
        self._timeout = timeout if timeout is not None else ClientTimeout(total=300)
        self.headers = dict(headers or {})
        self._raise_for_status = raise_for_status
        self._closed = False

    @property
    def closed(self):
        return self._closed

    def _url(self, url):
        url = str(url)
        if self._base_url and not url.startswith(("http://", "https://")):
            return str(self._base_url).rstrip("/") + "/" + url.lstrip("/")
        return url

    async def _request(self, method, url, *, timeout=None, data=None, json=None, **_options):
        if self._closed:
            raise RuntimeError("Session is closed")
        url = self._url(url)
        if not url.startswith(("http://", "https://")):
            raise InvalidURL(url)
        limit = timeout if timeout is not None else self._timeout
        total = getattr(limit, "total", limit)
        try:
            status, body, content_type = await _net.simulated_request("aiohttp", method, url, total,
                                                                      json if json is not None else data)
        except _asyncio.TimeoutError:
            raise ServerTimeoutError("Timeout on reading data from socket") from None
        response = ClientResponse(method, url, status, body, content_type)
        if self._raise_for_status:
            response.raise_for_status()
        return response

    def request(self, method, url, **kwargs):
        return _RequestContextManager(self._request(method.upper(), url, **kwargs))

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)

    def put(self, url, **kwargs):
        return self.request("PUT", url, **kwargs)

    def patch(self, url, **kwargs):
        return self.request("PATCH", url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request("DELETE", url, **kwargs)

    def head(self, url, **kwargs):
        return self.request("HEAD", url, **kwargs)

    async def close(self):
        self._closed = True

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await self.close()
        return False


class TCPConnector:
    def __init__(self, *args, limit=100, **kwargs):
        self.limit = limit

    async def close(self):
        pass


async def request(method, url, **kwargs):
    async with ClientSession() as session:
        response = await session.request(method, url, **kwargs)
        return response
