#!/usr/bin/env bash
# Prepare a fresh Debian 12 / Ubuntu machine for mentor_desk: system libraries (as root, via apt) and a
# project virtualenv at .venv with the app and its dev tools. Safe to run again; it only adds what is missing.
#   scripts/setup.sh          runtime + test dependencies
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt (offscreen and xcb)
  libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-image0
  libxcb-randr0 libxcb-render-util0 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxcb-xkb1 libx11-xcb1
  libxcb-glx0 libxcb-render0 libxcb-util1 xvfb xauth fonts-dejavu-core
  # QtMultimedia, sound for tests
  libpulse0 libxrandr2 pulseaudio pulseaudio-utils sox ffmpeg
  # python-vlc playback
  libvlc5 vlc-plugin-base vlc-plugin-video-output
  # the desktop entry and AppStream metainfo checks
  desktop-file-utils appstream
  # python venv
  python3-venv
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${#missing[@]} system packages: ${missing[*]}"
  source scripts/wait-for-apt.sh
  # Wait for another apt (an unattended upgrade, a second setup) rather than fail on its lock; apt itself also
  # waits on dpkg's lock for the moment between our check and its start.
  APT_WAIT=(-o "DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT:-600}")
  wait_for_apt_lock
  $SUDO apt-get "${APT_WAIT[@]}" update -qq
  wait_for_apt_lock
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${APT_WAIT[@]}" install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
stamp=.venv/.mentor-desk-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch "$stamp"
fi
