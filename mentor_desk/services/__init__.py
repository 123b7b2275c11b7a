"""The app's orchestration, between the screens (``ui``) and ``sync | media | store | api``; no Qt.

One module per capability, each defining the protocol the screens depend on next to its implementation over
the platform client, the store and the sync engine: :mod:`.account` (one mentor on one server: the store now,
client and sync engine once connected), :mod:`.session` (signing in), :mod:`.queue`, :mod:`.reviews`,
:mod:`.outbox` (waiting changes and their conflicts), :mod:`.tier5`, :mod:`.meetings`. :mod:`.errors` holds the
errors the screens catch, :mod:`.logs` the app's redacted log; :mod:`.wiring` bundles the services for the main
window. A new capability is a new module here (see ``docs/architecture.md``).
"""
