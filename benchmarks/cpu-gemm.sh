#!/usr/bin/env bash
# Kiln's pure-Java SGEMM against OpenBLAS (JavaCPP build), square row-major C = A·B at
# 256, 512, 1024 and 2048, both measured in the same JMH run. Prints a Markdown table.
#
#   benchmarks/cpu-gemm.sh                 # build the jar if missing, run, print the table
#   benchmarks/cpu-gemm.sh -p size=512     # extra arguments go to JMH
#
# Environment: THREADS (default: number of cores) sets OpenBLAS's thread count; Kiln uses one
# thread per core. RESULTS (default benchmarks/target/cpu-gemm) is where the JSON and log go.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/kiln-benchmarks.jar"
out="${RESULTS:-$here/target/cpu-gemm}"
threads="${THREADS:-$(nproc)}"
java="${JAVA:-java}"

if [[ ! -f "$jar" ]]; then
  echo "building $jar ..." >&2
  (cd "$root" && mvn -B -q -pl java-api,benchmarks -am package -DskipTests)
fi
mkdir -p "$out"

# Some machines export OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE to work around old OpenBLAS
# builds; they force a slower kernel on current OpenBLAS, so this run drops both and lets
# OpenBLAS detect the CPU itself. OPENBLAS_VERBOSE=2 makes it print the kernel it picked.
blas_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads")

info="$("${blas_env[@]}" OPENBLAS_VERBOSE=2 "$java" -cp "$jar" dev.kiln.bench.OpenBlasInfo 2>&1)"
core="$(sed -n 's/^Core: *//p' <<<"$info" | head -n1)"
version="$(sed -n 's/^openblas.version=//p' <<<"$info")"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
jdk="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"${blas_env[@]}" "$java" -jar "$jar" 'dev.kiln.bench.CpuGemmBenchmark' \
  -rf json -rff "$out/result.json" "$@" | tee "$out/jmh.log" >&2
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo
echo "CPU: ${cpu:-unknown} ($(nproc) cores); JDK ${jdk:-unknown}; OpenBLAS ${version:-unknown} (JavaCPP), core ${core:-unknown}, ${threads} threads; $(date -u +%Y-%m-%d)"
echo
"$java" -cp "$jar" dev.kiln.bench.GemmReport "$out/result.json"
