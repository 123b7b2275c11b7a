"""A TLS front for the sandbox in test-deb.sh: ``tls_proxy.py CERT KEY LISTEN_PORT SANDBOX_PORT``.

Runs on the build machine (the chroot has no Python); the chroot shares its network. Each connection to
127.0.0.1:LISTEN_PORT is decrypted with CERT/KEY and relayed to the plain-HTTP sandbox on SANDBOX_PORT, so that
the installed app's HTTPS can be checked against the chroot's own trust store.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import sys


async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, ssl.SSLError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


async def main(cert: str, key: str, port: int, sandbox_port: int) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", sandbox_port)
        await asyncio.gather(relay(client_reader, writer), relay(reader, client_writer))

    server = await asyncio.start_server(handle, "127.0.0.1", port, ssl=context)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
