"""A hostile platform on loopback: raw HTTP/1.1 written by hand, so it can send what no framework would.

``HostileServer`` answers every request with what its ``handler`` returns: any status, headers and body,
bodies that drip a byte at a time, never end, or announce gigabytes (produced lazily, never held in memory).
It records each request's head, so tests can see which credentials reached it. Optionally over TLS with a
certificate the client must refuse (self-signed, or expired).
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # with the query string
    headers: dict[str, str]  # lower-case names
    body: bytes


Body = bytes | Callable[[], AsyncIterator[bytes]]


@dataclass
class Reply:
    status: int = 200
    body: Body = b""
    content_type: str | None = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_length: int | None = -1  # -1: the body's length; None: no header (the end is the connection's)
    drip_s: float = 0.0  # pause before each chunk of a streamed body


Handler = Callable[[Request], Reply]
REASONS = {200: "OK", 201: "Created", 301: "Moved", 302: "Found", 307: "Temporary Redirect", 401: "Unauthorized",
           404: "Not Found", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class HostileServer:
    """Context manager; ``url`` is its origin (``http://127.0.0.1:PORT`` or ``https://localhost:PORT``)."""

    def __init__(self, handler: Handler, *, tls: ssl.SSLContext | None = None) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self._tls = tls
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="hostile-server", daemon=True)
        self._server: asyncio.Server | None = None
        self.url = ""

    def __enter__(self) -> HostileServer:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self._tls), self._loop)
        self._server = future.result(10)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"https://localhost:{port}" if self._tls else f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        async def close() -> None:
            assert self._server is not None
            self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:]
                                                                         if line)}
                length = int(headers.get("content-length", "0") or 0)
                body = await reader.readexactly(min(length, 1 << 20))
                request = Request(method, path, headers, body)
                self.requests.append(request)
                if not await self._answer(writer, self.handler(request)):
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError, asyncio.LimitOverrunError,
                asyncio.CancelledError):
            pass  # the client went away, or the server is closing
        finally:
            writer.close()

    @staticmethod
    async def _answer(writer: asyncio.StreamWriter, reply: Reply) -> bool:
        """Write the reply; whether the connection may carry another request."""
        fixed = isinstance(reply.body, bytes)
        length = len(reply.body) if fixed and reply.content_length == -1 else reply.content_length
        head = [f"HTTP/1.1 {reply.status} {REASONS.get(reply.status, 'Status')}"]
        if reply.content_type is not None:
            head.append(f"Content-Type: {reply.content_type}")
        if length is not None and length >= 0:
            head.append(f"Content-Length: {length}")
        keep = fixed and length == len(reply.body) and not reply.drip_s  # type: ignore[arg-type]
        head += [f"{k}: {v}" for k, v in reply.headers] + [f"Connection: {'keep-alive' if keep else 'close'}"]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        chunks: AsyncIterator[bytes] = _once(reply.body) if isinstance(reply.body, bytes) else reply.body()
        async for chunk in chunks:
            if reply.drip_s:
                await asyncio.sleep(reply.drip_s)
            writer.write(chunk)
            await writer.drain()
        await writer.drain()
        return keep


async def _once(body: bytes) -> AsyncIterator[bytes]:
    yield body


def json_reply(body: bytes, status: int = 200) -> Reply:
    return Reply(status, body)


def tls_context(folder: Path, *, expired: bool) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for ``localhost`` that no client trusts; with
    ``expired`` it is also out of date (valid in 2020 only)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    start = datetime(2020, 1, 1, tzinfo=UTC) if expired else datetime.now(UTC) - timedelta(days=1)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + timedelta(days=30 if expired else 2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    key_file, cert_file = folder / "key.pem", folder / "cert.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


def chunks_of(piece: bytes, count: int | None) -> Callable[[], AsyncIterator[bytes]]:
    """A body made of ``piece`` repeated ``count`` times (forever for None), produced as it is sent."""
    async def body() -> AsyncIterator[bytes]:
        sent = 0
        while count is None or sent < count:
            sent += 1
            yield piece

    return body


def first(items: Iterable[Request], path_prefix: str) -> Request | None:
    return next((r for r in items if r.path.startswith(path_prefix)), None)
