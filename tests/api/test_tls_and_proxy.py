"""HTTPS trust and proxies as the preferences and the environment set them, against a real TLS server on loopback
whose certificate no default store trusts (its own CA, as a university's would be)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mentor_desk.api.client import PlatformClient
from mentor_desk.api.errors import TlsError
from mentor_desk.api.tls import BadCaBundle, ssl_context
from mentor_desk.domain.preferences import TlsSettings
from tests.hostile.hostile_server import HostileServer, Reply, Request, tls_context

NOT_FOUND = Reply(404, b'{"detail": "Not found."}')  # capabilities: 404 is OCH v1, an answer all the same


@pytest.fixture
def private_ca_server(tmp_path: Path):
    """A loopback HTTPS server with a certificate of its own (``tmp_path / "cert.pem"`` is its CA)."""
    with HostileServer(lambda _request: NOT_FOUND, tls=tls_context(tmp_path, expired=False)) as server:
        yield server


def _discover(url: str, tls: TlsSettings) -> str:
    async def discover() -> str:
        async with PlatformClient(url, tls=tls) as client:
            return (await client.discover()).mode

    return asyncio.run(discover())


def test_a_ca_bundle_from_the_preferences_makes_a_private_ca_trusted(private_ca_server, tmp_path):
    bundle = str(tmp_path / "cert.pem")
    assert _discover(private_ca_server.url, TlsSettings(system_store=False, ca_bundle=bundle)) == "och-v1"
    assert _discover(private_ca_server.url, TlsSettings(system_store=True, ca_bundle=bundle)) == "och-v1"
    with pytest.raises(TlsError):
        _discover(private_ca_server.url, TlsSettings(system_store=False))


def test_the_operating_systems_trust_store_is_used_when_chosen(private_ca_server, tmp_path, monkeypatch):
    """OpenSSL's system store honours ``SSL_CERT_FILE``: the CA put there stands for one IT installed on the
    machine. The certificates shipped with mentor_desk (system store off) do not include it."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))
    ssl_context.cache_clear()  # contexts are kept per settings; this test changed the system's store
    try:
        assert _discover(private_ca_server.url, TlsSettings(system_store=True)) == "och-v1"
        with pytest.raises(TlsError):
            _discover(private_ca_server.url, TlsSettings(system_store=False))
    finally:
        monkeypatch.undo()
        ssl_context.cache_clear()


def test_an_unreadable_ca_bundle_is_said_in_words(tmp_path):
    not_pem = tmp_path / "notes.txt"
    not_pem.write_text("not a certificate", encoding="utf-8")
    for bundle in (not_pem, tmp_path / "missing.pem"):
        with pytest.raises(BadCaBundle, match="Preferences"):
            PlatformClient("https://och.example.org", tls=TlsSettings(ca_bundle=str(bundle)))


def test_a_proxy_from_the_environment_carries_the_requests(monkeypatch):
    """``HTTP_PROXY``/``HTTPS_PROXY`` are honoured (httpx's trust_env): the request reaches the proxy with the
    server's absolute address, and the proxy's answer is the client's."""
    seen: list[Request] = []

    def proxy(request: Request) -> Reply:
        seen.append(request)
        return NOT_FOUND

    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    with HostileServer(proxy) as proxy_server:
        monkeypatch.setenv("HTTP_PROXY", proxy_server.url)
        server = "http://127.0.0.1:9"  # nothing listens there: only the proxy can answer
        assert _discover(server, TlsSettings()) == "och-v1"
    assert [r.path for r in seen] == [f"{server}/api/v1/mentor/capabilities"]
