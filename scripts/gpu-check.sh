#!/usr/bin/env bash
# MLSys Workbench GPU check: runs the Vulkan parity/lifecycle tests and the Backends benchmark on this
# machine's GPU from a self-contained bundle (jlink'ed Java runtime + jars + unpacked LWJGL natives);
# needs no Java and no Maven, only the GPU driver with its Vulkan ICD and libvulkan.so.1.
# Build the bundle on a developer machine with scripts/build-gpu-bundle.sh (see docs/gpu-check.md).
#
# Usage: ./gpu-check.sh [--device NAME] [--allow-cpu-device] [--quick] [--suites "attention nerf sampling:quick ..."] [--out DIR]
# Writes DIR/devices.csv, DIR/parity.csv, DIR/bench-backends.csv, DIR/bench-<suite>.csv for each suite named,
# DIR/gpu-check.log (DIR = ./results).
# Exit status: 0 all tests passed, 1 a test failed or no hardware GPU, 2 bad usage or broken bundle.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/results"
DEVICE=""
REQUIRE_HW=true
QUICK=""
SUITES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --device) DEVICE="${2:?--device needs a name}"; shift 2 ;;
    --allow-cpu-device) REQUIRE_HW=false; shift ;;
    --quick) QUICK="--quick"; shift ;;
    --suites) SUITES="${2:?--suites needs a list}"; shift 2 ;;
    --out) OUT="${2:?--out needs a folder}"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument $1" >&2; exit 2 ;;
  esac
done

JAVA="$HERE/runtime/bin/java"
[ -x "$JAVA" ] || { echo "gpu-check: $JAVA missing: run this from an unpacked bundle" >&2; exit 2; }
mkdir -p "$OUT"
LOG="$OUT/gpu-check.log"
: > "$LOG"

# Containers hide the NVIDIA Vulkan ICD unless the graphics capability is granted.
export NVIDIA_DRIVER_CAPABILITIES="${NVIDIA_DRIVER_CAPABILITIES:-all}"
{
  echo "# gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null | sed 's/^/# icd: /'
} | tee -a "$LOG"

OPTS=(-Xmx8g
  -Dorg.lwjgl.librarypath="$HERE/natives"
  -Dworkbench.requireGpu=true
  -Dworkbench.requireHardwareGpu="$REQUIRE_HW"
  -Dworkbench.validation="${WORKBENCH_VALIDATION:-true}")
[ -d "$HERE/data" ] && OPTS+=(-Dworkbench.data.dir="$HERE/data")
[ -n "$DEVICE" ] && OPTS+=(-Dworkbench.device="$DEVICE")
run() { "$JAVA" "${OPTS[@]}" -cp "$HERE/lib/*" org.mlsysworkbench.compute.testing.GpuCheckMain "$@" 2>&1 | tee -a "$LOG"; return "${PIPESTATUS[0]}"; }

status=0
echo "== devices" | tee -a "$LOG"
run devices "$OUT/devices.csv" || { echo "gpu-check: no Vulkan device (is the driver's ICD installed?)" | tee -a "$LOG"; exit 1; }
echo "== parity and lifecycle tests (tag gpu)" | tee -a "$LOG"
run tests "$OUT/parity.csv" || status=1
echo "== bench backends" | tee -a "$LOG"
run bench "$OUT/bench-backends.csv" $QUICK || status=1
for s in $SUITES; do          # a suite named id:quick runs its quick sizes whatever --quick says
  q="$QUICK"; id="${s%:quick}"; [ "$id" != "$s" ] && q="--quick"
  echo "== bench $id $q" | tee -a "$LOG"
  run suite "$id" "$OUT/bench-$id.csv" $q || status=1
done
echo "gpu-check: $( [ $status -eq 0 ] && echo PASSED || echo FAILED ); results in $OUT" | tee -a "$LOG"
exit $status
