"""The platform's wire side: typed errors, pydantic wire models and the async ``PlatformClient``.

- :mod:`.client` — :class:`~mentor_desk.api.client.PlatformClient`, :class:`~mentor_desk.api.client.ServerInfo`;
  built on :mod:`.base` (HTTP plumbing, auth, ``normalise_server_url``) and :mod:`.och_v1` (layer A ``v1_*``)
- :mod:`.errors` — :class:`~mentor_desk.api.errors.PlatformError` and subclasses, ``is_transient``
- :mod:`.models` — wire models and converters (``to_queue_item``, ``RubricModel.to_domain``...)
- :mod:`.session` — :class:`~mentor_desk.api.session.Session` (tokens; keyring serialisation)
- :mod:`.credentials` — :class:`~mentor_desk.api.credentials.TokenVault`, where a session is kept between runs
  (the OS keyring, else memory, else the opt-in 0600 file), shared by the app and ``mentor-desk sync``
- :mod:`.redaction` — ``redact(text)`` and ``RedactingFilter`` for the app's log handler
- :mod:`.sse` — the server-sent events parser; :mod:`.files` — blocking file helpers run in worker threads
"""
