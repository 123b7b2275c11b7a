#!/usr/bin/env bash
# Run mentor_desk on its embedded sandbox platform (fresh seeded Tier-5 data, signed in as the demo mentor).
# Installs what it needs first (scripts/setup.sh). Needs a graphical session (DISPLAY or WAYLAND_DISPLAY).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "demo: no display found. On a headless machine run: xvfb-run -s '-screen 0 1400x900x24' bash scripts/demo.sh" >&2
  exit 2
fi
exec .venv/bin/mentor-desk --demo "$@"
