#!/usr/bin/env bash
# Kiln on a lent GPU, in one call: versions, the GPU/CPU parity suite, GEMM ours vs cuBLAS and the
# bandwidth-bound kernels vs a device copy (CUDA events), attention and LSTM ours vs the unfused paths
# (SequenceBench, CUDA events), conv ours vs cuDNN on the ResNet-18 layers (ConvBench, CUDA events), SpMM ours vs
# cuSPARSE on R-MAT and Cora-sized graphs (SparseBench, CUDA events), one epoch of Word2Vec on the tokenised KJV
# with the fused SGNS kernel (words/s),
# the GEMM JMH benchmark at 4096³, and one
# epoch of the DNN on Fashion-MNIST (Iris when the Fashion-MNIST files are not on the machine).
# $OUT receives exactly two files: results.md and logs.tar.gz (every log, table and JSON of the run,
# JVM crash logs included), since the device tool returns at most 8 files; a short summary table is
# printed last. Bounded to 420 s: the step caps (the second argument of each `step` line) sum to at
# most 420 (benchmarks' RunScriptTest checks both; a new step must take its seconds from another).
#
#   bash benchmarks/gpu/run.sh            # on the GPU machine, bundle/ (from bundle.sh) carried along
#   bash benchmarks/gpu/run.sh --smoke    # anywhere: the same steps on the SIMT emulator, tiny sizes
#   bash benchmarks/gpu/run.sh --first-contact   # a card's first run: parity, then one case of each
#                                         # benchmark family (GEMM + bandwidth, attention/LSTM, conv, SpMM,
#                                         # diffusion); training and JMH are not run. Combines with --smoke.
#
# Without a GPU (no nvidia-smi, no libcuda.so.1) and without --smoke it says so and exits 0.
# Environment: OUT (default out/gpu-run), BUNDLE (default bundle/), RUN_BUDGET_S (default 420).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ -f "$ROOT/benchmarks/gpu/run.sh" ]] || ROOT="$(pwd)"   # a copy inside bundle/: run from the repo root
B="${BUNDLE:-$ROOT/bundle}"
OUT="${OUT:-$ROOT/out/gpu-run}"
BUDGET="${RUN_BUDGET_S:-420}"
T0=$(date +%s)
SMOKE=""
FIRST=""
for a in "$@"; do
    case "$a" in
        --smoke) SMOKE="--smoke" ;;
        --first-contact) FIRST=1 ;;
        *) echo "usage: run.sh [--smoke] [--first-contact]" >&2; exit 2 ;;
    esac
done
mkdir -p "$OUT"
# Everything but results.md is written under $WORK and leaves as one archive, $OUT/logs.tar.gz.
WORK="$(mktemp -d /tmp/kiln-gpu-run.XXXXXX)"
JCPP_CACHE=""
# On any exit (also when killed with TERM/INT at a time limit) the logs so far still leave as the archive.
finish() {
    if [[ -d "$WORK" ]]; then
        tar -czf "$OUT/logs.tar.gz" -C "$WORK" . 2>/dev/null || echo "run.sh: could not write $OUT/logs.tar.gz"
        rm -rf "$WORK"
    fi
    [[ -n "$JCPP_CACHE" ]] && rm -rf "$JCPP_CACHE"
    return 0
}
trap finish EXIT
trap 'exit 143' TERM INT
ENVLOG="$WORK/env.log"
: > "$ENVLOG"
say() { echo "$*" | tee -a "$ENVLOG"; }

# ---- is there a GPU? -------------------------------------------------------------------------
has_libcuda() {
    ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1' && return 0
    local d
    for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/nvidia/lib64 /usr/local/cuda/compat; do
        [[ -e "$d/libcuda.so.1" ]] && return 0
    done
    return 1
}
if [[ -z "$SMOKE" ]]; then
    if ! command -v nvidia-smi >/dev/null 2>&1 && ! has_libcuda; then
        say "run.sh: no GPU found (no nvidia-smi, no libcuda.so.1): nothing to run. (On any machine,"
        say "        'bash benchmarks/gpu/run.sh --smoke' runs the same steps on Kiln's CUDA emulator.)"
        exit 0
    fi
fi

# ---- Java ------------------------------------------------------------------------------------
if [[ -x "$B/jre/bin/java" ]]; then
    JAVA="$B/jre/bin/java"
elif command -v java >/dev/null 2>&1; then
    JAVA="java"
    say "run.sh: no runtime in ${B#"$ROOT"/}/jre; using $(command -v java)"
else
    say "run.sh: no Java: build the bundle first (benchmarks/gpu/bundle.sh) and carry bundle/"
    exit 1
fi
[[ -d "$B/lib" ]] || { say "run.sh: ${B#"$ROOT"/}/lib is missing: build the bundle first (benchmarks/gpu/bundle.sh)"; exit 1; }
CP_BENCH="$B/lib/*"
CP_TRAIN="$B/lib/kiln-benchmarks.jar:$B/models/kiln.jar:$B/lib/kiln-cuda.jar:$B/lib/kiln-kernels.jar"
for j in "$B"/lib/javacpp-*.jar "$B"/lib/cuda-*.jar; do CP_TRAIN="$CP_TRAIN:$j"; done

# ---- CUDA 13 libraries (set before any JVM starts; JMH forks inherit it) ----------------------
CUDNN_DIR=""
if [[ -z "$SMOKE" ]]; then
    LIBDIRS=()
    add_dir() { local d; for d in "$@"; do [[ -d "$d" ]] && [[ ":${LIBDIRS[*]-}:" != *"$d"* ]] && LIBDIRS+=("$d"); done; return 0; }
    for sp in /opt/torch/.venv/lib/python3*/site-packages; do
        add_dir "$sp/nvidia/cu13/lib" "$sp/nvidia/cudnn/lib"
        [[ -d "$sp/nvidia/cudnn/lib" ]] && CUDNN_DIR="$sp/nvidia/cudnn/lib"
    done
    add_dir /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib
    found_all() { local d; for d in "${LIBDIRS[@]-}"; do [[ -n "$d" && -e "$d/libcublas.so.13" ]] && return 0; done; return 1; }
    if ! found_all; then
        say "run.sh: libcublas.so.13 not in the usual places; searching (find, 30 s at most)..."
        while IFS= read -r f; do add_dir "$(dirname "$f")"; done < <(timeout 30 find / -xdev \
            \( -name 'libcublas.so.13*' -o -name 'libcudart.so.13*' -o -name 'libcudnn.so.9*' \) 2>/dev/null | head -20)
    fi
    # cuSPARSE (SparseBench's baseline, dlopened by libkiln_cusparse.so): usually beside cuBLAS.
    has_cusparse() { local d; for d in "${LIBDIRS[@]-}"; do [[ -n "$d" && -e "$d/libcusparse.so.12" ]] && return 0; done; return 1; }
    if ! has_cusparse; then
        f="$(timeout 20 find / -xdev -name 'libcusparse.so.12*' 2>/dev/null | head -1)"
        [[ -n "$f" ]] && add_dir "$(dirname "$f")"
    fi
    LD_LIBRARY_PATH="$(IFS=:; echo "${LIBDIRS[*]-}")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
    say "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
    # The driver JIT-compiles our PTX (gemm: ~4 MB) on first load; its cache lets the later JVMs
    # (benchmarks, training, each JMH fork) skip that. Keep it large enough to hold every family.
    export CUDA_CACHE_MAXSIZE="${CUDA_CACHE_MAXSIZE:-1073741824}"
else
    export KILN_CUDA_DRIVER=emulator
fi
JCPP_CACHE="$(mktemp -d /tmp/kiln-jcpp.XXXXXX)"
# JVM crash logs go with the other logs (not into the working directory, which does not come back).
JOPTS=(-Xmx8g --enable-native-access=ALL-UNNAMED "-Dorg.bytedeco.javacpp.cachedir=$JCPP_CACHE"
       "-XX:ErrorFile=$WORK/hs_err_pid%p.log")

# ---- versions --------------------------------------------------------------------------------
CARD="emulator"; DRIVER="-"; CUDAV="-"; CUBLASV="-"; CUDNNV="-"
if [[ -z "$SMOKE" ]]; then
    if command -v nvidia-smi >/dev/null 2>&1; then
        nvidia-smi >> "$ENVLOG" 2>&1
        CARD="$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)"
        DRIVER="$(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null | head -1)"
        CUDAV="$(nvidia-smi 2>/dev/null | sed -n 's/.*CUDA Version: *\([0-9.]*\).*/\1/p' | head -1)"
    fi
    libver() {  # real file name of the first $1 on LD_LIBRARY_PATH, version part only
        local d f
        IFS=: read -r -a ds <<< "$LD_LIBRARY_PATH"
        for d in "${ds[@]}"; do
            for f in "$d"/$1; do [[ -e "$f" ]] && { basename "$(readlink -f "$f")" | sed 's/^[^.]*\.so\.//'; return; }; done
        done
        echo "not found"
    }
    CUBLASV="$(libver 'libcublas.so.13')"
    CUDNNV="$(libver 'libcudnn.so.9')"
    for sp in /opt/torch/.venv/lib/python3*/site-packages; do
        ls -d "$sp"/nvidia_*.dist-info >> "$ENVLOG" 2>/dev/null
    done
fi
COMMIT="$(sed -n 's/^commit: //p' "$B/BUNDLE.txt" 2>/dev/null)"
[[ -n "$COMMIT" ]] || COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
say "card: ${CARD:-?}  driver: ${DRIVER:-?}  CUDA (driver): ${CUDAV:-?}  cuBLAS: $CUBLASV  cuDNN: $CUDNNV  commit: $COMMIT"
say "java: $("$JAVA" -version 2>&1 | head -1)"

# ---- steps -----------------------------------------------------------------------------------
STEPS=(); FAILED=0
left() { echo $(( BUDGET - ($(date +%s) - T0) )); }
# step NAME CAP_SECONDS LOG command...   (timeout: the cap, or what is left of the budget minus 10 s)
# A step with under 15 s left is skipped; its `note` then records it once, as skipped.
step() {
    local name="$1" cap="$2" log="$3"; shift 3
    if [[ -n "$FIRST" && " $FIRST_STEPS " != *" $name "* ]]; then
        echo "=== $name not run (--first-contact) ==="
        LAST_STATUS="first-contact"; LAST_DT=0; return 1
    fi
    local t; t=$(( $(left) - 10 )); (( t > cap )) && t=$cap
    if (( t < 15 )); then
        echo "=== $name skipped: out of time ==="
        LAST_STATUS="skipped"; LAST_DT=0; FAILED=1; return 1
    fi
    echo "=== $name (timeout ${t} s) ==="
    local s0; s0=$(date +%s)
    timeout -k 5 "$t" "$@" > "$log" 2>&1
    local rc=$?
    local dt=$(( $(date +%s) - s0 ))
    tail -n 4 "$log"
    local status="ok"
    if (( rc == 124 || rc == 137 )); then status="TIMEOUT"; FAILED=1
    elif (( rc != 0 )); then status="rc=$rc"; FAILED=1; fi
    LAST_STATUS="$status"; LAST_DT="$dt"
    return $rc
}
note() {
    if [[ "$LAST_STATUS" == skipped ]]; then STEPS+=("$1|skipped|0|out of time (budget ${BUDGET} s)")
    elif [[ "$LAST_STATUS" == first-contact ]]; then STEPS+=("$1|not run|0|--first-contact: parity and one case per family only")
    else STEPS+=("$1|$LAST_STATUS|$LAST_DT|$2"); fi
}

# --first-contact: only these steps run, each benchmark with one case (GpuBench one GEMM shape; the others stop
# starting new cases after 1 s, so the first, target-sized case is measured): a verdict and one number per family
# come back before anything long can use up the window.
FIRST_STEPS="parity bench sequence conv sparse diffusion"
FC_GEMM=(); FC_ONE=()
if [[ -n "$FIRST" ]]; then
    if [[ -n "$SMOKE" ]]; then FC_GEMM=(--shapes 128); else FC_GEMM=(--shapes 4096); fi
    FC_ONE=(--budget-s 1)
    say "run.sh: first-contact mode: $FIRST_STEPS"
fi

# 1. parity (allocations NaN-poisoned by GpuParity itself)
step parity 75 "$WORK/parity.log" "$JAVA" "${JOPTS[@]}" -cp "$CP_BENCH" dev.kiln.bench.gpu.GpuParity $SMOKE
note parity "$(grep -sh '^PARITY' "$WORK/parity.log" | tail -1)"

# 2. GEMM ours vs cuBLAS + bandwidth kernels vs copy (CUDA events)
step bench 75 "$WORK/bench.log" "$JAVA" "${JOPTS[@]}" -cp "$CP_BENCH" dev.kiln.bench.gpu.GpuBench --md "$WORK/bench.md" $SMOKE \
    ${FC_GEMM[@]+"${FC_GEMM[@]}"}
note bench "$(grep -sh '^GpuBench:' "$WORK/bench.log" | tail -1)"

# 2b. attention (flash vs unfused cuBLAS + softmax) and LSTM layer (fused cell vs unfused gates), CUDA events.
#     SequenceBench starts no new size after --budget-s, so its table is written inside the step's cap.
step sequence 65 "$WORK/sequence.log" "$JAVA" "${JOPTS[@]}" -cp "$CP_BENCH" dev.kiln.bench.gpu.SequenceBench \
    --md "$WORK/sequence.md" --budget-s 45 $SMOKE ${FC_ONE[@]+"${FC_ONE[@]}"}
note sequence "$(grep -sh '^SequenceBench:' "$WORK/sequence.log" | tail -1)"

# 2c. conv ours vs cuDNN (cudnnFind's best algorithm): ResNet-18 layers, batch 64 and 256, fwd/bwd-data/bwd-filter,
#     CUDA events. ConvBench starts no new layer after --budget-s, so its table is written inside the cap.
step conv 55 "$WORK/conv.log" "$JAVA" "${JOPTS[@]}" -cp "$CP_BENCH" dev.kiln.bench.gpu.ConvBench --md "$WORK/conv.md" \
    --budget-s 45 $SMOKE ${FC_ONE[@]+"${FC_ONE[@]}"}
note conv "$(grep -sh '^ConvBench:' "$WORK/conv.log" | tail -1)"

# 2d. SpMM ours vs cuSPARSE (cusparseSpMM): R-MAT scale 16-18 and a Cora-sized graph, widths 32-256, CUDA events.
#     SparseBench starts no new case after --budget-s.
step sparse 25 "$WORK/sparse.log" "$JAVA" "${JOPTS[@]}" -cp "$CP_BENCH" dev.kiln.bench.gpu.SparseBench --md "$WORK/sparse.md" \
    --budget-s 15 $SMOKE ${FC_ONE[@]+"${FC_ONE[@]}"}
note sparse "$(grep -sh '^SparseBench:' "$WORK/sparse.log" | tail -1)"

# 2e. noise-scheduling kernels (diffusion.cu): fused forward noising, DDPM and DDIM steps vs a device copy and vs
#     the same step composed from tensor ops, 2^26 float32 per buffer, CUDA events.
step diffusion 20 "$WORK/diffusion.log" "$JAVA" "${JOPTS[@]}" -cp "$CP_BENCH" dev.kiln.bench.gpu.DiffusionBench \
    --md "$WORK/diffusion.md" $SMOKE
note diffusion "$(grep -sh '^DiffusionBench:' "$WORK/diffusion.log" | tail -1)"

# 3. DNN: one epoch of Fashion-MNIST on cuda, else Iris (preset epochs)
FMNIST=""
if [[ -z "$SMOKE" ]]; then
    for d in "${KILN_DATA:-}" /usr/share/datasets/fashion-mnist "$ROOT/data/fashion-mnist"; do
        [[ -n "$d" && -f "$d/train-images-idx3-ubyte.gz" && -f "$d/t10k-labels-idx1-ubyte.gz" ]] && { FMNIST="$d"; break; }
    done
fi
if [[ -n "$FMNIST" ]]; then
    say "Fashion-MNIST: $FMNIST"
    step train 45 "$WORK/train.log" "$JAVA" "${JOPTS[@]}" -cp "$CP_TRAIN" dev.kiln.bench.gpu.GpuTrain dnn fashion-mnist 1 "$FMNIST"
    note "train dnn fashion-mnist" "$(grep -sh '^RESULT' "$WORK/train.log" | tail -1 | cut -d' ' -f2-)"
else
    say "Fashion-MNIST: the four .gz files are not on this machine${SMOKE:+ (smoke run)}: training the DNN on Iris instead"
    step train 45 "$WORK/train.log" "$JAVA" "${JOPTS[@]}" -cp "$CP_TRAIN" dev.kiln.bench.gpu.GpuTrain dnn iris preset
    note "train dnn iris (no Fashion-MNIST)" "$(grep -sh '^RESULT' "$WORK/train.log" | tail -1 | cut -d' ' -f2-)"
fi

# 3b. Word2Vec: one epoch of skip-gram on the tokenised KJV with the fused SGNS kernel (words/s on the RESULT line);
#     smoke: the first 2,000 lines of it.
W2V="$B/word2vec-corpus.txt"
if [[ -f "$W2V" ]]; then
    if [[ -n "$SMOKE" ]]; then head -n 2000 "$W2V" > "$WORK/w2v-smoke.txt"; W2V="$WORK/w2v-smoke.txt"; fi
    step word2vec 15 "$WORK/word2vec.log" "$JAVA" "${JOPTS[@]}" -cp "$CP_TRAIN" dev.kiln.bench.gpu.GpuTrain word2vec text 1 "$W2V"
    note "train word2vec kjv, 1 epoch" "$(grep -sh '^RESULT' "$WORK/word2vec.log" | tail -1 | cut -d' ' -f2-)"
else
    say "word2vec: no word2vec-corpus.txt in the bundle (bundle.sh copies runs/word2vec-kjv/corpus.txt): step skipped"
fi

# 4. JMH: the GEMM benchmark, 4096³, every implementation (one fork each, 1×1 s warm-up, 2×1 s measured)
if [[ -n "$SMOKE" ]]; then JMHP=(-p shape=128 -p impl=SIMTV4,MMAV8,CUBLAS_SGEMM -wi 0 -i 1 -r 1s); else JMHP=(-p shape=4096 -wi 1 -w 1s -i 2 -r 1s); fi
step jmh 45 "$WORK/jmh.log" "$JAVA" "${JOPTS[@]}" -cp "$CP_BENCH" org.openjdk.jmh.Main 'dev.kiln.bench.gpu.GpuGemmBenchmark' \
    -f 1 "${JMHP[@]}" -rf json -rff "$WORK/jmh-gemm.json"
JMH_TABLE=""
[[ -s "$WORK/jmh-gemm.json" ]] && JMH_TABLE="$("$JAVA" -cp "$CP_BENCH" dev.kiln.bench.gpu.GpuJmhReport "$WORK/jmh-gemm.json" 2>&1)"
note jmh "$(grep -c '^| [0-9]' <<< "$JMH_TABLE") rows in the JMH table (failed setups: see jmh.log)"

# ---- results.md ------------------------------------------------------------------------------
{
    echo "# Kiln GPU run: $(date -u +%Y-%m-%d) on ${CARD:-?}${SMOKE:+ (emulator smoke run: not GPU timings)}"
    echo
    echo "| | |"
    echo "|---|---|"
    echo "| date (UTC) | $(date -u +%Y-%m-%dT%H:%M:%SZ) |"
    echo "| card | ${CARD:-?} |"
    echo "| driver | ${DRIVER:-?} (CUDA ${CUDAV:-?}) |"
    echo "| cuBLAS / cuDNN libraries | $CUBLASV / $CUDNNV |"
    echo "| commit | $COMMIT |"
    echo "| java | $("$JAVA" -version 2>&1 | head -1) |"
    echo "| loaded (as the JVM sees it) | $(grep -sh '^GPU parity on' "$WORK/parity.log" | head -1 | sed 's/^GPU parity on //') |"
    if [[ -n "$FIRST" ]]; then echo "| mode | first contact (parity and one case per family) |"; else echo "| mode | full |"; fi
    echo
    echo "## Steps"
    echo
    echo "| step | status | seconds | result |"
    echo "|---|---|---:|---|"
    for s in "${STEPS[@]}"; do IFS='|' read -r n st dt r <<< "$s"; echo "| $n | $st | $dt | $r |"; done
    echo
    grep -h '^FAILED\|^NOT ON CUDA\|^STOPPED' "$WORK/parity.log" 2>/dev/null | sed 's/^/    /'
    echo
    [[ -s "$WORK/bench.md" ]] && cat "$WORK/bench.md"
    [[ -s "$WORK/sequence.md" ]] && cat "$WORK/sequence.md"
    [[ -s "$WORK/conv.md" ]] && cat "$WORK/conv.md"
    [[ -s "$WORK/sparse.md" ]] && cat "$WORK/sparse.md"
    [[ -s "$WORK/diffusion.md" ]] && cat "$WORK/diffusion.md"
    if [[ -n "$JMH_TABLE" ]]; then
        echo "### JMH: GEMM (one product + synchronize per invocation)"
        echo
        echo "$JMH_TABLE"
        echo
    fi
} > "$OUT/results.md"

# ---- summary (last) --------------------------------------------------------------------------
echo
echo "==== Kiln GPU run: ${CARD:-?} | driver ${DRIVER:-?} | CUDA ${CUDAV:-?} | cuBLAS $CUBLASV | cuDNN $CUDNNV | commit $COMMIT | $(( $(date +%s) - T0 )) s ===="
printf '%-34s %-8s %5s  %s\n' step status s result
for s in "${STEPS[@]}"; do IFS='|' read -r n st dt r <<< "$s"; printf '%-34s %-8s %5s  %s\n' "$n" "$st" "$dt" "$r"; done
if [[ -s "$WORK/bench.md" ]]; then
    echo
    grep -hE '^\| (precision|kernel) \||\| 4096x4096x4096 \||^\| (device-to-device|add|relu|softmax|AdamW) ' "$WORK/bench.md" \
        | cut -d'|' -f2-8 | sed 's/ *| */|/g'
fi
if [[ -s "$WORK/sequence.md" ]]; then
    echo
    grep -hE '^\| pass \||^\| forward \| (B8 H16 L2048|H512 B32 T100)' "$WORK/sequence.md" | cut -d'|' -f2-9 | sed 's/ *| */|/g'
fi
if [[ -s "$WORK/conv.md" ]]; then
    echo
    echo "conv, batch 256 (pass|layer|N|shape|ours ms|cuDNN ms|ours/cuDNN time|speed; batch 64 in results.md):"
    grep -hE '^\| (pass|[a-z-]+ \| [a-z0-9.]+ \| 256) \|' "$WORK/conv.md" | cut -d'|' -f2-9 | sed 's/ *| */|/g'
    grep -h '^Speed vs cuDNN' "$WORK/conv.md"
fi
if [[ -s "$WORK/sparse.md" ]]; then
    echo
    grep -h '^Speed vs cuSPARSE' "$WORK/sparse.md"
fi
if [[ -s "$WORK/diffusion.md" ]]; then
    echo
    grep -hE '^\| (kernel|device-to-device|forward noising|DDPM|DDIM)' "$WORK/diffusion.md" | cut -d'|' -f2-9 | sed 's/ *| */|/g'
fi
# ---- what comes back: results.md and one archive ----------------------------------------------
ls "$WORK"/hs_err_pid*.log >/dev/null 2>&1 && echo "JVM crash logs (hs_err_pid*.log) are in logs.tar.gz"
echo "results.md and logs.tar.gz (every log; written on exit): $OUT"
exit $FAILED
