#!/usr/bin/env bash
# Translations: pyside6-lupdate collects every string of the app that goes through Qt's translation functions
# (self.tr, QCoreApplication.translate, QT_TRANSLATE_NOOP) into resources/translations/*.ts (mentor_desk.ts is the
# template; mentor_desk_<language>.ts one per language, for translators and Qt Linguist); pyside6-lrelease
# compiles each language, and the pseudo-locale made from the template, into mentor_desk/translations/*.qm,
# which the package ships (MENTOR_DESK_LANGUAGE=pseudo mentor-desk shows the pseudo-locale).
#   scripts/translations.sh             update the .ts files from the sources, then compile
#   scripts/translations.sh --compile   compile only (packaging/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
SOURCES=resources/translations
OUT=mentor_desk/translations
mkdir -p "$OUT" build/translations

if [ "${1:-}" != "--compile" ]; then
  mapfile -t sources < <(find mentor_desk -name '*.py' -not -path 'mentor_desk/sandbox/*' | sort)
  "$BIN/pyside6-lupdate" -silent -no-obsolete -locations none "${sources[@]}" -ts "$SOURCES"/*.ts
  echo "translations: $(grep -c '<message' "$SOURCES/mentor_desk.ts") strings in $SOURCES/mentor_desk.ts"
fi
"$BIN/python" scripts/pseudo_locale.py "$SOURCES/mentor_desk.ts" build/translations/mentor_desk_pseudo.ts
for ts in "$SOURCES"/mentor_desk_*.ts build/translations/mentor_desk_pseudo.ts; do
  [ -e "$ts" ] || continue
  name=$(basename "$ts" .ts)
  "$BIN/pyside6-lrelease" -silent "$ts" -qm "$OUT/$name.qm"
done
echo "translations: compiled into $OUT: $(cd "$OUT" && ls -- *.qm | tr '\n' ' ')"
