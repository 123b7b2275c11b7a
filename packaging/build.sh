#!/usr/bin/env bash
# Build mentor_desk as a Debian package, dist/mentor-desk_<version>_amd64.deb:
#   1. a clean build virtualenv (build/venv) holding a NON-editable install of the app, without the dev extras,
#      and PyInstaller (PyInstaller cannot see an editable install: every module would be missing);
#   2. a PyInstaller onedir bundle, dist/mentor-desk/, refused when a module is missing or it cannot start;
#   3. the .deb: the bundle in /opt/mentor-desk, /usr/bin/mentor-desk, the desktop entry, the icon in the hicolor
#      theme, AppStream metainfo, and Depends: derived from the libraries the bundle links outside itself (ldd,
#      then dpkg -S), plus what it loads at run time (libVLC and its plugins, a font).
# Needs root (or sudo) once, to install the build tools with apt. Install the result with
#   sudo apt install ./dist/mentor-desk_<version>_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYINSTALLER_VERSION=6.22.3
BUILD=$ROOT/build
DIST=$ROOT/dist

say() { echo "build: $*"; }
fail() { echo "build: FAILED: $*" >&2; exit 1; }

APT_BUILD=(python3-venv binutils file dpkg-dev librsvg2-bin desktop-file-utils appstream
           libvlc5 vlc-plugin-base vlc-plugin-video-output fonts-dejavu-core)
missing=()
for pkg in "${APT_BUILD[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  say "installing build tools: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 1. Clean build environment: the app as a wheel, no dev extras.
rm -rf "$BUILD" "$DIST"
mkdir -p "$BUILD" "$DIST"
python3 -m venv "$BUILD/venv"
"$BUILD/venv/bin/python" -m pip install -q --upgrade pip
"$BUILD/venv/bin/python" -m pip install -q "$ROOT" "pyinstaller==$PYINSTALLER_VERSION"
# The translations compiled with this environment's pyside6-lrelease go into the package, then the app again.
VENV="$BUILD/venv" bash "$ROOT/scripts/translations.sh" --compile
"$BUILD/venv/bin/python" -m pip install -q --no-deps --force-reinstall "$ROOT"
VERSION=$("$BUILD/venv/bin/python" -c 'from importlib.metadata import version; print(version("mentor-desk"))')
say "mentor_desk $VERSION installed in a clean build environment"

# 2. The bundle. Run from packaging/ so that the spec's relative paths hold; the log is kept for the checks.
(cd packaging && "$BUILD/venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
   --distpath "$DIST" --workpath "$BUILD/pyinstaller" mentor_desk.spec) 2>&1 | tee "$BUILD/pyinstaller.log"
if grep -E "Hidden import '[^']*' not found|ERROR:" "$BUILD/pyinstaller.log"; then
  fail "PyInstaller could not find the modules above"
fi
if grep -E "^missing module named '?mentor_desk" "$BUILD/pyinstaller/mentor_desk/warn-mentor_desk.txt"; then
  fail "the bundle lacks the mentor_desk modules above"
fi
BUNDLE=$DIST/mentor-desk
bundled_version=$("$BUNDLE/mentor-desk" --version) || fail "the bundle does not start"
[[ "$bundled_version" == *"$VERSION"* ]] || fail "the bundle says '$bundled_version', not $VERSION"
"$BUNDLE/mentor-desk" --help >/dev/null || fail "the bundle cannot print its help"
say "bundle: $(du -sh "$BUNDLE" | cut -f1), starts ($bundled_version)"

# 3. The Debian package.
PKG=$BUILD/deb
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" "$PKG/usr/share/metainfo"
cp -a "$BUNDLE" "$PKG/opt/mentor-desk"
cat > "$PKG/usr/bin/mentor-desk" <<'EOF'
#!/bin/sh
exec /opt/mentor-desk/mentor-desk "$@"
EOF
chmod 755 "$PKG/usr/bin/mentor-desk"
desktop-file-validate resources/mentor-desk.desktop
install -m 644 resources/mentor-desk.desktop "$PKG/usr/share/applications/mentor-desk.desktop"
appstreamcli validate --no-net resources/org.och.mentor_desk.metainfo.xml
install -m 644 resources/org.och.mentor_desk.metainfo.xml "$PKG/usr/share/metainfo/org.och.mentor_desk.metainfo.xml"
ICON=mentor_desk/ui/mentor-desk.svg
install -D -m 644 "$ICON" "$PKG/usr/share/icons/hicolor/scalable/apps/mentor-desk.svg"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$PKG/usr/share/icons/hicolor/${size}x${size}/apps"
  rsvg-convert -w "$size" -h "$size" "$ICON" -o "$PKG/usr/share/icons/hicolor/${size}x${size}/apps/mentor-desk.png"
done

# Depends: every library an ELF file of the bundle links from outside the bundle, mapped to its package.
: > "$BUILD/linked.txt"
: > "$BUILD/unresolved-libraries.txt"
while IFS= read -r -d '' elf; do
  file -b "$elf" | grep -q '^ELF' || continue
  LD_LIBRARY_PATH="$BUNDLE/_internal" ldd "$elf" 2>/dev/null | while read -r line; do
    if [[ "$line" == *"not found"* ]]; then
      echo "${line%% *} (needed by ${elf#"$BUNDLE"/})" >> "$BUILD/unresolved-libraries.txt"
    else
      lib=$(awk '/=>/ {print $3}' <<<"$line")
      [[ -z "$lib" || "$lib" == "$BUNDLE"/* ]] || readlink -f "$lib" >> "$BUILD/linked.txt"
    fi
  done || true
done < <(find "$BUNDLE" -type f \( -name '*.so*' -o -name mentor-desk \) -print0)
declare -A packages=()
while read -r lib; do  # Debian 12 merged /lib into /usr/lib: a package may own either spelling
  owner=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "${lib#/usr}" 2>/dev/null || true)
  [[ -n "$owner" ]] || fail "no package owns $lib, which the bundle links"
  packages[${owner%%:*}]=1
done < <(sort -u "$BUILD/linked.txt")
for pkg in libc6 libvlc5 vlc-plugin-base vlc-plugin-video-output fontconfig fonts-dejavu-core ca-certificates; do
  # loaded at run time, not linked: libVLC and its plugins (python-vlc, ctypes), a font, and the system's CA
  # certificates, which HTTPS trusts by default (truststore, mentor_desk/api/tls.py)
  packages[$pkg]=1
done
if [ -s "$BUILD/unresolved-libraries.txt" ]; then
  sort -u -o "$BUILD/unresolved-libraries.txt" "$BUILD/unresolved-libraries.txt"
  say "$(wc -l < "$BUILD/unresolved-libraries.txt") libraries are linked only by optional Qt plugins and are not"
  say "installed here; those plugins are left out of Depends (list: build/unresolved-libraries.txt)"
fi
depends=$(printf '%s\n' "${!packages[@]}" | sort | paste -sd, | sed 's/,/, /g')
installed_kb=$(du -sk "$PKG" | cut -f1)
cat > "$PKG/DEBIAN/control" <<EOF
Package: mentor-desk
Version: $VERSION
Architecture: amd64
Maintainer: OCH mentor_desk team <mentor-desk@och.invalid>
Section: education
Priority: optional
Installed-Size: $installed_kb
Depends: $depends
Homepage: https://github.com/cresdynamics-lang/och
Description: review desk for OCH Tier-5 mentors
 mentor_desk is a desktop client for the mentors of the OCH cybersecurity
 training platform: a review queue, weighted rubric scoring, decision paths,
 media feedback, Tier-5 sign-off and scoring meetings, working off line and
 syncing later. Includes a local practice platform (mentor-desk --demo).
EOF
DEB=$DIST/mentor-desk_${VERSION}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" >/dev/null
say "package: $DEB ($(du -m "$DEB" | cut -f1) MB)"
say "Depends: $depends"
