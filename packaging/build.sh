#!/usr/bin/env bash
# Build an installable onedir bundle of mentor_desk with PyInstaller: dist/mentor-desk/mentor-desk.
# The target machine still needs libgl1 libegl1 (and vlc-plugin-base for playback: PyInstaller bundles libvlc,
# not VLC's plugins).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pip install -q "pyinstaller==6.22.3"
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/mentor_desk.spec
echo "built: dist/mentor-desk/mentor-desk"
