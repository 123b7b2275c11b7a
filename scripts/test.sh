#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine (no display, no sound card, no camera):
# installs what it needs (scripts/setup.sh), starts a PulseAudio null sink for the media tests, runs pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export QT_QPA_PLATFORM=offscreen QT_API=pyside6
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR}" ]; then
  XDG_RUNTIME_DIR=$(mktemp -d); chmod 700 "$XDG_RUNTIME_DIR"; export XDG_RUNTIME_DIR
fi
bash scripts/pulse-null-sink.sh || echo "test: PulseAudio null sink unavailable; media recording tests will skip"

.venv/bin/ruff check mentor_desk tests benchmarks
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
