#!/usr/bin/env bash
# CPU training steps on Kiln's pure-Java backend, the Vector API kernels against the scalar ones in
# one JMH run (each in its own forked JVM): a 3x3 convolution and a ResNet-18 basic block at batch 64
# (64 channels at 28x28, 128 at 14x14, 256 at 7x7, 512 at 4x4), forward and backward, and the 784-256-128-10 MLP's Adam
# step at batch 128. Prints a Markdown table.
#
#   benchmarks/cpu-step.sh                        # build the jar if missing, run, print the table
#   benchmarks/cpu-step.sh -p shape=64x28         # extra arguments go to JMH
#
# Environment: RESULTS (default benchmarks/target/cpu-step) is where the JSON and log go.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/kiln-benchmarks.jar"
out="${RESULTS:-$here/target/cpu-step}"
java="${JAVA:-java}"

if [[ ! -f "$jar" ]]; then
  echo "building $jar ..." >&2
  (cd "$root" && mvn -B -q -pl java-api,benchmarks -am package -DskipTests)
fi
mkdir -p "$out"

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
jdk="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$java" -jar "$jar" 'dev.kiln.bench.CpuStepBenchmark' -rf json -rff "$out/result.json" "$@" | tee "$out/jmh.log" >&2
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo
echo "CPU: ${cpu:-unknown} ($(nproc) cores); JDK ${jdk:-unknown}; $(date -u +%Y-%m-%d); load before/after: see above"
echo
"$java" -cp "$jar" dev.kiln.bench.CpuStepReport "$out/result.json"
