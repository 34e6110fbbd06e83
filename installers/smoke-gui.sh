#!/usr/bin/env bash
# Starts a packaged binary's GUI under Xvfb, waits for its WORKBENCH_STARTED log line (not a fixed
# sleep), takes a screenshot of the X root window, and stops it. Usage: smoke-gui.sh BINARY OUT.png
set -euo pipefail
bin="$1"; png="$2"
home=$(mktemp -d); log="$home/app.log"
display=:$(( 90 + RANDOM % 50 ))
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 & xpid=$!
trap 'kill $apid $xpid 2>/dev/null || true' EXIT
sleep 1
DISPLAY=$display JAVA_TOOL_OPTIONS="-Dworkbench.home=$home" "$bin" > "$log" 2>&1 & apid=$!
for _ in $(seq 1 600); do
  grep -q WORKBENCH_STARTED "$log" && break
  kill -0 $apid 2>/dev/null || { echo "smoke-gui: the app exited:"; cat "$log"; exit 1; }
  sleep 0.1
done
grep -q WORKBENCH_STARTED "$log" || { echo "smoke-gui: no window within 60 s:"; cat "$log"; exit 1; }
sleep 3   # let the first charts paint
DISPLAY=$display import -window root "$png"
echo "smoke-gui: the packaged GUI started; screenshot $png"
