#!/usr/bin/env bash
# Kiln's CPU backend (own GEMM, and OpenBLAS through kiln-openblas) against libtorch (DJL's PyTorch
# engine, CPU build) in one run on one machine:
#   mlp     the MLP 784-256-128-10 on Fashion-MNIST, Adam, batch 128: seconds per epoch (best of
#           EPOCHS) and held-out accuracy after the last epoch
#   resnet  a ResNet-18 basic block (conv stem + one block, WIDTH channels) training step at batch
#           64 on 28x28: steps per second (best and median of STEPS after WARMUP)
# Each row is its own JVM, for each thread count in THREADS (Kiln: -Dkiln.cpu.threads, which also
# sets OpenBLAS's; libtorch: one inter-op thread and N intra-op threads). Prints Markdown tables.
#
#   benchmarks/cpu-vs-libtorch.sh                    # build, run everything, print the tables
#   TASKS=resnet THREADS=2 benchmarks/cpu-vs-libtorch.sh
#
# Environment: THREADS ("1 2"), TASKS ("mlp resnet"), EPOCHS (3), STEPS (10), WARMUP (3), WIDTH (64),
# MVN_ARGS (extra Maven arguments, e.g. "-o"), RESULTS (benchmarks/target/cpu-vs-libtorch), JAVA.
# Needs Fashion-MNIST (apt-get install dataset-fashion-mnist, or KILN_DATA); DJL runs offline
# (DJL_OFFLINE=true): libtorch comes from the pytorch-native-cpu jar that Maven fetches once.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="${RESULTS:-$here/target/cpu-vs-libtorch}"
threads_list="${THREADS:-1 2}"
tasks="${TASKS:-mlp resnet}"
java="${JAVA:-java}"
read -r -a mvn_args <<< "${MVN_ARGS:-}"
mkdir -p "$out"
cpfile="$out/classpath"

echo "building kiln-benchmarks with the libtorch profile ..." >&2
(cd "$root" && mvn -B -q "${mvn_args[@]}" -pl benchmarks -am -Plibtorch -DskipTests compile \
    dependency:build-classpath -Dmdep.outputFile="$cpfile") >&2
cp="$here/target/classes:$(cat "$cpfile")"

# Current OpenBLAS detects the CPU itself; variables some machines export for old builds would
# force a slower kernel, so every command here runs without them.
run_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE DJL_OFFLINE=true)
jvm=("$java" --add-modules jdk.incubator.vector -Xmx3g
     -Depochs="${EPOCHS:-3}" -Dsteps="${STEPS:-10}" -Dwarmup="${WARMUP:-3}" -Dwidth="${WIDTH:-64}" -cp "$cp")

core="$("${run_env[@]}" OPENBLAS_VERBOSE=2 "$java" -cp "$cp" dev.kiln.bench.OpenBlasInfo 2>&1 | sed -n 's/^Core: *//p' | head -n1)"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
jdk="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
results="$out/results.txt"
: > "$results"
: > "$out/run.log"
status=0

row() { # label, then the command's extra arguments
  local label="$1"; shift
  echo "== $label (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  local line
  line="$("${run_env[@]}" "$@" 2> >(tee -a "$out/run.log" | grep -v -e '^WARNING: Using incubator' -e '^SLF4J' >&2) | grep '^result ')" \
    || { echo "cpu-vs-libtorch: $label failed (see $out/run.log)" >&2; return 1; }
  echo "$line load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$results" >&2
}

for task in $tasks; do
  for t in $threads_list; do
    row "$task kiln own, $t thread(s)" "${jvm[@]}" -Dkiln.cpu.threads="$t" -Dkiln.cpu.impl.gemm=own \
        dev.kiln.bench.CpuVsLibtorch engine=kiln task="$task" || status=1
    row "$task kiln vendor, $t thread(s)" "${jvm[@]}" -Dkiln.cpu.threads="$t" -Dkiln.cpu.impl.gemm=vendor \
        dev.kiln.bench.CpuVsLibtorch engine=kiln task="$task" || status=1
    row "$task libtorch, $t thread(s)" env OMP_NUM_THREADS="$t" "${jvm[@]}" -Dai.djl.pytorch.num_threads="$t" \
        -Dai.djl.pytorch.num_interop_threads=1 dev.kiln.bench.CpuVsLibtorch engine=torch task="$task" || status=1
  done
done
"${run_env[@]}" "$java" -Dkiln.cpu.threads=1 -cp "$cp" dev.kiln.bench.OpenBlasCopyCost > "$out/copy-cost.md" 2>/dev/null

torch_version="$(sed -n 's/^libtorch \([^ ]*\) (DJL \([^)]*\)).*/\1, DJL \2/p' "$out/run.log" | head -n1)"
echo
echo "CPU: ${cpu:-unknown} ($(nproc) cores); JDK ${jdk:-unknown}; OpenBLAS core ${core:-unknown};" \
     "libtorch ${torch_version:-unknown} (CPU build); $(date -u '+%Y-%m-%d %H:%M UTC');" \
     "load average before ${load_before}, after $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v tasks="$tasks" '
  function field(name,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] } return "" }
  # One row per thread count and implementation of task t, with its ratio to libtorch at the same count.
  function table(t,   i, j, k, p, ref, ratio, cref, cratio) {
    for (i = 1; i <= n; i++) { split(order[i], p, SUBSEP); if (p[1] != t) continue
      for (j = 1; j <= 3; j++) { k = order[i] SUBSEP impls[j]; if (!(k in best)) continue
        ref = best[order[i], "libtorch"]; ratio = ref == "" ? "-" : sprintf("%.2f", ref / best[k])
        cref = cpu[order[i], "libtorch"]; cratio = cref == "" ? "-" : sprintf("%.2f", cref / cpu[k])
        if (t == "mlp") printf "| %s | %s | %.2f | %.2f | %.4f | %s | %s | %s |\n", p[2], impls[j], best[k], cpu[k], acc[k], ratio, cratio, load[k]
        else printf "| %s | %s | %.2f | %.2f | %.3f | %s | %s | %s |\n", p[2], impls[j], 1 / best[k], 1 / med[k], cpu[k], ratio, cratio, load[k] } }
  }
  { task = field("task"); key = task SUBSEP field("threads"); impl = field("impl")
    best[key, impl] = field("best_s"); med[key, impl] = field("median_s"); cpu[key, impl] = field("cpu_s")
    acc[key, impl] = field("acc"); load[key, impl] = field("load")
    if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
  END {
    split("kiln-own kiln-vendor libtorch", impls, " ")
    if (tasks ~ /mlp/) {
      print ""
      print "MLP 784-256-128-10, Fashion-MNIST, Adam, batch 128 (best epoch of the run; CPU = process CPU seconds of that epoch):"
      print ""
      print "| threads | implementation | s/epoch | CPU s/epoch | held-out accuracy | libtorch s / this s | libtorch CPU / this CPU | load |"
      print "|---:|---|---:|---:|---:|---:|---:|---:|"
      table("mlp")
    }
    if (tasks ~ /resnet/) {
      print ""
      print "ResNet-18 basic block training step (Adam), batch 64, 1x28x28 (steps/s from the best and the median step time):"
      print ""
      print "| threads | implementation | steps/s (best) | steps/s (median) | CPU s/step | this / libtorch (best) | libtorch CPU / this CPU | load |"
      print "|---:|---|---:|---:|---:|---:|---:|---:|"
      table("resnet")
    }
  }' "$results"
echo
echo "kiln-openblas copy cost (one thread):"
echo
cat "$out/copy-cost.md"
exit $status
