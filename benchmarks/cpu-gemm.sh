#!/usr/bin/env bash
# Kiln's SGEMM (Vector API form and scalar form) against OpenBLAS (JavaCPP build), square
# row-major C = A·B at 512, 1024 and 2048, all measured in the same JMH run with THREADS
# threads each; then the same products single-threaded, timed by thread CPU time, and Kiln's
# with THREADS threads by process CPU time. Prints Markdown tables.
#
#   benchmarks/cpu-gemm.sh                 # build the jar if missing, run, print the tables
#   benchmarks/cpu-gemm.sh -p size=512     # extra arguments go to JMH
#
# Environment: THREADS (default: number of cores) sets OpenBLAS's and Kiln's thread counts
# (-Dkiln.cpu.threads). RESULTS (default benchmarks/target/cpu-gemm) is where the JSON and
# log go. SINGLE=0 skips the two CPU-time tables.
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

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load before: $load_before" >&2
# The benchmark classes' forks add --add-modules jdk.incubator.vector (vector form) or
# -Dkiln.cpu.simd=false (scalar form) themselves.
"${blas_env[@]}" "$java" -jar "$jar" 'dev.kiln.bench.CpuGemm(Scalar)?Benchmark' \
  -jvmArgsPrepend "-Dkiln.cpu.threads=$threads" \
  -rf json -rff "$out/result.json" "$@" | tee "$out/jmh.log" >&2
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load after: $load_after" >&2

echo
echo "CPU: ${cpu:-unknown} ($(nproc) cores); JDK ${jdk:-unknown}; OpenBLAS ${version:-unknown} (JavaCPP), core ${core:-unknown}, ${threads} threads; $(date -u +%Y-%m-%d)"
echo "Load average (1, 5, 15 min) before the run: $load_before; after: $load_after."
echo
"$java" -cp "$jar" dev.kiln.bench.GemmReport "$out/result.json"

if [[ "${SINGLE:-1}" != 0 ]]; then
  single=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1)
  echo
  echo "Single-threaded, best of repeated products by thread CPU time (load before: $(cut -d' ' -f1-3 /proc/loadavg)):"
  echo
  echo "| size | Kiln form | Kiln GFLOP/s | OpenBLAS GFLOP/s | Kiln / OpenBLAS |"
  echo "|-----:|:---|---:|---:|---:|"
  "${single[@]}" "$java" --add-modules jdk.incubator.vector -Dkiln.cpu.simd=true -Dkiln.cpu.threads=1 \
    -cp "$jar" dev.kiln.bench.CpuGemmSingleThread --openblas 512 1024 2048 2>/dev/null
  "${single[@]}" "$java" -Dkiln.cpu.simd=false -Dkiln.cpu.threads=1 \
    -cp "$jar" dev.kiln.bench.CpuGemmSingleThread 512 1024 2048 2>/dev/null
  echo
  echo "Kiln with $threads threads by process CPU time (load before: $(cut -d' ' -f1-3 /proc/loadavg)):"
  echo
  echo "| size | Kiln form | threads | GFLOP per CPU-second | wall GFLOP/s | CPU / wall |"
  echo "|-----:|:---|---:|---:|---:|---:|"
  "$java" --add-modules jdk.incubator.vector -Dkiln.cpu.simd=true -Dkiln.cpu.threads="$threads" \
    -cp "$jar" dev.kiln.bench.CpuGemmCpuTime 512 1024 2048 2>/dev/null
fi
