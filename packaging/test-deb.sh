#!/usr/bin/env bash
# Install dist/mentor-desk_*.deb into a brand-new Debian 12 (minbase debootstrap: no Python tools, no X, nothing
# else) and use it there: --version, the sandbox and `doctor` against it, the GUI's sign-in window and the --demo
# queue on a virtual screen (screenshots in build/test-deb/), a second launch handing over to the running one, the
# pseudo-locale's sign-in (the translations shipped), HTTPS trusted through the system's store. Needs root (chroot,
# mounts) and Debian's mirror.
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
  for pid in "${XVFB_PID:-}" "${PROXY_PID:-}" "${SANDBOX_PID:-}"; do [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; done
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

# HTTPS through the system's trust store (truststore, in the bundle): the sandbox behind a TLS proxy on this
# machine (the chroot shares its network) whose certificate only the chroot's own store comes to trust.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=test-deb private CA" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$OUT/tls.key" -out "$OUT/tls.crt" 2>/dev/null
python3 "$ROOT/packaging/tls_proxy.py" "$OUT/tls.crt" "$OUT/tls.key" 8798 8799 &
PROXY_PID=$!
doctor_https() {  # doctor_https NAME: doctor over HTTPS (JSON in $OUT/NAME.json); prints its tls check
  in_chroot env MENTOR_DESK_PASSWORD=mentor-demo mentor-desk doctor --server https://127.0.0.1:8798 \
    --email mentor@demo.och --json >"$OUT/$1.json" || true
  tr -d '\n' <"$OUT/$1.json" | grep -o '"name": *"tls"[^}]*' || echo "no tls check"
}
sleep 1
before=$(doctor_https doctor-https-untrusted)
cp "$OUT/tls.crt" "$CHROOT/usr/local/share/ca-certificates/test-deb.crt"
in_chroot update-ca-certificates >/dev/null 2>&1
after=$(doctor_https doctor-https-trusted)
kill "$PROXY_PID" "$SANDBOX_PID" 2>/dev/null || true
echo "test-deb: https, the private CA not in the system's store: $before"
echo "test-deb: https after update-ca-certificates: $after"
[[ "$before" == *'"fail"'* && "$after" == *'"ok"'* ]] || {
  echo "test-deb: HTTPS does not follow the system's trust store:"; cat "$OUT"/doctor-https-*.json; exit 1; }

Xvfb ":$DISPLAY_NUMBER" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
sleep 1
shoot() {  # shoot NAME [VAR=value ...] mentor-desk ARGS...: start the GUI in the chroot, wait for its window,
           # screenshot, launch it again on the same data folder (it must hand over to the running one), stop it
  local name=$1; shift
  local run=(env DISPLAY=":$DISPLAY_NUMBER" MENTOR_DESK_DATA_DIR=/tmp/md-$name XDG_RUNTIME_DIR=/tmp "$@")
  in_chroot_bg "${run[@]}" >"$OUT/$name.log" 2>&1 &
  local pid=$! found=""
  for _ in $(seq 60); do
    sleep 0.5
    DISPLAY=":$DISPLAY_NUMBER" xwininfo -root -tree 2>/dev/null | grep -q "mentor_desk" && { found=1; break; }
  done
  sleep 4  # let it paint (and, for --demo, let the queue arrive)
  DISPLAY=":$DISPLAY_NUMBER" import -window root "$OUT/$name.png"
  local second
  second=$(timeout 60 chroot "$CHROOT" "${CHROOT_ENV[@]}" "${run[@]}" 2>&1) || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -n "$found" ] || { echo "test-deb: the $name window never appeared"; tail -20 "$OUT/$name.log"; exit 1; }
  echo "test-deb: $name window shown: $OUT/$name.png"
  [[ "$second" == *"already running"* ]] || { echo "test-deb: a second $name launch did not hand over: $second"; exit 1; }
  echo "test-deb: a second launch on its data folder: $second"
}
shoot signin mentor-desk
shoot demo mentor-desk --demo
shoot pseudo MENTOR_DESK_LANGUAGE=pseudo mentor-desk  # the translations shipped: the pseudo-locale's sign-in
echo "test-deb: all checks passed"
