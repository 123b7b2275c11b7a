#!/usr/bin/env bash
# Start a PulseAudio daemon with a null sink and a virtual microphone fed by it (for recording tests on a
# machine with no sound card). Needs XDG_RUNTIME_DIR set. Idempotent.
set -euo pipefail
command -v pulseaudio >/dev/null || exit 1
if ! pactl info >/dev/null 2>&1; then
  pulseaudio -D -n --exit-idle-time=-1 --disallow-exit --disable-shm=true \
    --load=module-native-protocol-unix \
    --load="module-null-sink sink_name=null" \
    --load="module-remap-source master=null.monitor source_name=virtmic" \
    --load=module-always-sink
  for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
fi
pactl set-default-sink null
pactl set-default-source virtmic
