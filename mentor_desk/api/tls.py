"""The TLS context every HTTPS request of mentor_desk uses, made from the mentor's :class:`TlsSettings`.

By default the operating system's trust store is used (``truststore``: on Linux the distribution's CA
certificates, ``$SSL_CERT_FILE``/``$SSL_CERT_DIR`` when set), so a university's own CA, installed there by its IT
department, is trusted. Without it only the certificates shipped with mentor_desk (certifi) are. A CA bundle
(PEM) named in the preferences is trusted in both cases. Proxies are a separate matter: the clients keep httpx's
``trust_env``, so ``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY`` and ``NO_PROXY`` from the environment are honoured.
"""

from __future__ import annotations

import functools
import ssl

import certifi
import truststore

from mentor_desk.api.errors import PlatformError
from mentor_desk.domain.preferences import TlsSettings


class BadCaBundle(PlatformError):
    """The CA bundle named in the preferences cannot be read as PEM certificates."""


@functools.lru_cache(maxsize=4)
def ssl_context(settings: TlsSettings) -> ssl.SSLContext:
    """A client context for ``settings`` (one per distinct settings: loading a trust store takes milliseconds,
    and a context serves any number of connections). Raises :class:`BadCaBundle`."""
    if settings.system_store:
        context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    else:
        context = ssl.create_default_context(cafile=certifi.where())
    if settings.ca_bundle:
        try:
            context.load_verify_locations(cafile=settings.ca_bundle)
        except (OSError, ssl.SSLError) as err:
            raise BadCaBundle(
                f"The CA bundle {settings.ca_bundle} cannot be used ({err.strerror or err}): choose a PEM file in "
                "Preferences (Ctrl+,), or clear it."
            ) from err
    return context
