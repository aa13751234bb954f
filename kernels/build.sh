#!/usr/bin/env bash
# Builds the Kiln kernels and runs their host tests.
#
#   kernels/build.sh            PTX (compute_80, compute_90a), ptxas reports
#                               with the spill check, emulator library, tests
#   kernels/build.sh --no-test  everything but running the tests
#
# Outputs (under kernels/target/):
#   ptx/<family>.sm_80.ptx, ptx/<family>.sm_90a.ptx
#   ptxas/<family>.txt          `ptxas -v` for sm_80 and sm_90a
#   cubin/<family>.sm_80.cubin, cubin/<family>.sm_90a.cubin
#                               the same ptxas runs' SASS (loaded without JIT)
#   emu/libkiln_emu.so          every src/*.cu compiled for the host emulator
#   emu/kiln_kernel_tests       the host test runner
#   generated-sources/java/dev/kiln/kernels/Kernels.java
#                               one Java constant per PTX entry point
#                               (tools/gen_kernels_java.sh), compiled into
#                               the kiln-kernels jar
#   emu-san/kiln_kernel_tests   the same tests under the kernel sanitizer
#
# Environment: CUDA_HOME (default /usr/local/cuda), NVCC, PTXAS, CXX, JOBS,
# KILN_SKIP_TESTS=true (as --no-test; Maven sets it from -DskipTests),
# KILN_SANITIZER=off (run the host tests without the sanitizer pass).
set -euo pipefail

cd "$(dirname "$0")"
run_tests=1
[[ "${KILN_SKIP_TESTS:-false}" == "true" ]] && run_tests=0
for a in "$@"; do
  case "$a" in
    --no-test) run_tests=0 ;;
    *) echo "unknown argument: $a" >&2; exit 2 ;;
  esac
done

export CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}"
NVCC="${NVCC:-$(command -v nvcc || echo "$CUDA_HOME/bin/nvcc")}"
PTXAS="${PTXAS:-$(command -v ptxas || echo "$CUDA_HOME/bin/ptxas")}"
CXX="${CXX:-g++}"
JOBS="${JOBS:-$(nproc)}"
for tool in "$NVCC" "$PTXAS" "$CXX"; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool not found" >&2; exit 1; }
done
[[ -f "$CUDA_HOME/include/cuda_bf16.h" ]] ||
  { echo "build.sh: no CUDA headers in $CUDA_HOME/include (set CUDA_HOME)" >&2; exit 1; }

# Outputs of families whose source is gone (renamed or split) would otherwise
# stay in the jar (also through their copies in target/classes) and the emulator library.
for out in target/ptx/*.ptx target/cubin/*.cubin target/ptxas/*.txt target/classes/dev/kiln/kernels/*/*.* target/emu/obj/*.o target/emu/test/*.o; do
  [[ -e "$out" ]] || continue
  name="$(basename "$out")"
  name="${name%%.*}"
  case "$out" in
    target/emu/test/*) src="test/$name.cpp" ;;
    *) src="src/$name.cu" ;;
  esac
  [[ "$name" == simt_runtime || -f "$src" ]] || rm -f "$out" "${out%.o}.d"
done

make -s -j"$JOBS" NVCC="$NVCC" PTXAS="$PTXAS" CXX="$CXX" CUDA_HOME="$CUDA_HOME" all

# Spill check: a kernel may spill only if its file says why.
status=0
for report in target/ptxas/*.txt; do
  fam="$(basename "$report" .txt)"
  if grep -Eq '[1-9][0-9]* bytes spill (stores|loads)' "$report"; then
    if grep -q 'spills-allowed:' "src/$fam.cu"; then
      echo "build.sh: $fam spills (allowed: $(grep -o 'spills-allowed:.*' "src/$fam.cu" | head -1))"
    else
      echo "build.sh: $fam.cu spills registers and its header has no 'spills-allowed: <reason>' line:" >&2
      grep -B2 -E '[1-9][0-9]* bytes spill' "$report" >&2 || true
      status=1
    fi
  fi
done
[[ $status -eq 0 ]] || exit 1

# Every PTX entry point must be launchable by name in the emulator library.
ptx_names="$(grep -ho '^\.visible \.entry [A-Za-z0-9_]*' target/ptx/*.sm_80.ptx | awk '{print $3}' | sort -u)"
emu_names="$(target/emu/kiln_emu_names target/emu/libkiln_emu.so | sort -u)"
missing="$(comm -23 <(echo "$ptx_names") <(echo "$emu_names"))"
if [[ -n "$missing" ]]; then
  echo "build.sh: kernels missing KILN_KERNEL_REGISTER (not launchable in the emulator):" >&2
  echo "$missing" >&2
  exit 1
fi
tools/gen_kernels_java.sh target/ptx target/generated-sources/java/dev/kiln/kernels/Kernels.java
echo "build.sh: $(echo "$ptx_names" | grep -c .) entry points in $(ls src/*.cu | wc -l) families (Kernels.java generated)"

if [[ $run_tests -eq 1 ]]; then
  target/emu/kiln_kernel_tests
  # The same tests under the kernel sanitizer (memcheck, racecheck,
  # initcheck, synccheck; README "Sanitizer"). KILN_SANITIZER=off skips it.
  if [[ "${KILN_SANITIZER:-on}" != "off" ]]; then
    echo "build.sh: host tests under the kernel sanitizer"
    target/emu-san/kiln_kernel_tests
  fi
fi
