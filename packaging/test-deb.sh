#!/usr/bin/env bash
# Install dist/mentor-desk_*.deb into a brand-new Debian 12 (minbase debootstrap: no Python tools, no X, nothing
# else) and use it there: --version, the sandbox and `doctor` against it, the GUI's sign-in window and the --demo
# queue on a virtual screen (screenshots in build/test-deb/). Needs root (chroot, mounts) and Debian's mirror.
# Not part of the README test command: run it after packaging/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/build/test-deb
CHROOT=$ROOT/build/test-deb-root
DISPLAY_NUMBER=${TEST_DEB_DISPLAY:-121}
deb=$(ls "$ROOT"/dist/mentor-desk_*_amd64.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "test-deb: build the package first (bash packaging/build.sh)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "test-deb: run as root (it builds and enters a chroot)" >&2; exit 1; }

for tool in debootstrap Xvfb import; do
  command -v "$tool" >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends debootstrap xvfb imagemagick >/dev/null; break; }
done

rm -rf "$OUT" "$CHROOT"
mkdir -p "$OUT"
echo "test-deb: debootstrap bookworm (minbase) into $CHROOT"
debootstrap --variant=minbase bookworm "$CHROOT" http://deb.debian.org/debian >"$OUT/debootstrap.log" 2>&1

mounts=()
cleanup() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
  for pid in "${XVFB_PID:-}" "${SANDBOX_PID:-}"; do [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
bind() { mkdir -p "$CHROOT$1"; mount --bind "$1" "$CHROOT$1"; mounts+=("$CHROOT$1"); }
mount -t proc proc "$CHROOT/proc"; mounts+=("$CHROOT/proc")
bind /dev
bind /tmp/.X11-unix 2>/dev/null || { mkdir -p /tmp/.X11-unix; bind /tmp/.X11-unix; }
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
CHROOT_ENV=(env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8)
in_chroot() { chroot "$CHROOT" "${CHROOT_ENV[@]}" "$@"; }
# Started with `&`: exec, so that $! is the program itself and kill stops it, not only the shell around it.
in_chroot_bg() { exec chroot "$CHROOT" "${CHROOT_ENV[@]}" "$@"; }

echo "test-deb: apt install ./$(basename "$deb")"
cp "$deb" "$CHROOT/tmp/"
in_chroot apt-get update -qq
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "/tmp/$(basename "$deb")" >"$OUT/apt-install.log" 2>&1 || { tail -20 "$OUT/apt-install.log"; exit 1; }
echo "test-deb: installed; python3 in the chroot: $(in_chroot sh -c 'command -v python3 || echo none')"

echo "test-deb: mentor-desk --version → $(in_chroot mentor-desk --version)"

in_chroot_bg mentor-desk sandbox --port 8799 --db /tmp/sandbox.sqlite3 >"$OUT/sandbox.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 60); do  # the chroot shares this machine's network (and its sh has no /dev/tcp)
  bash -c 'exec 3<>/dev/tcp/127.0.0.1/8799' 2>/dev/null && break || sleep 0.5
done
kill -0 "$SANDBOX_PID" 2>/dev/null || { echo "test-deb: the sandbox did not start"; cat "$OUT/sandbox.log"; exit 1; }
echo "test-deb: mentor-desk doctor against the bundled sandbox:"
in_chroot env MENTOR_DESK_PASSWORD=mentor-demo mentor-desk doctor --server http://127.0.0.1:8799 \
  --email mentor@demo.och | tee "$OUT/doctor.txt"
kill "$SANDBOX_PID" 2>/dev/null || true

Xvfb ":$DISPLAY_NUMBER" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
sleep 1
shoot() {  # shoot NAME ARGS...: start the GUI in the chroot, wait for its window, screenshot, stop it
  local name=$1; shift
  in_chroot_bg env DISPLAY=":$DISPLAY_NUMBER" MENTOR_DESK_DATA_DIR=/tmp/md-$name XDG_RUNTIME_DIR=/tmp \
    mentor-desk "$@" >"$OUT/$name.log" 2>&1 &
  local pid=$! found=""
  for _ in $(seq 60); do
    sleep 0.5
    DISPLAY=":$DISPLAY_NUMBER" xwininfo -root -tree 2>/dev/null | grep -q "mentor_desk" && { found=1; break; }
  done
  sleep 4  # let it paint (and, for --demo, let the queue arrive)
  DISPLAY=":$DISPLAY_NUMBER" import -window root "$OUT/$name.png"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -n "$found" ] || { echo "test-deb: the $name window never appeared"; tail -20 "$OUT/$name.log"; exit 1; }
  echo "test-deb: $name window shown: $OUT/$name.png"
}
shoot signin
shoot demo --demo
echo "test-deb: all checks passed"
