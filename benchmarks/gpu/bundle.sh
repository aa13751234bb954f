#!/usr/bin/env bash
# Builds Kiln and assembles the GPU bundle: a jlinked Java runtime, the Kiln jars, JavaCPP and the
# CUDA 13 bindings (trimmed to cudart + cuBLAS + cuDNN), JMH and its dependencies. The bundle is carried to
# a lent GPU machine, where benchmarks/gpu/run.sh uses it. At most 60 MiB (checked).
#
#   benchmarks/gpu/bundle.sh            # -> bundle/ (git-ignored), prints its size and contents
#   BUNDLE=dir benchmarks/gpu/bundle.sh # another output folder
#   SKIP_BUILD=1 ...                    # reuse what mvn install built last
#
# Needs: JDK 17+ and Maven (the build), nvcc/g++ (the kernels module's build), a JDK with jlink
# (JLINK_JDK, default: the newest JDK 21+ under /usr/lib/jvm), zip/unzip, strip.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUTDIR="${BUNDLE:-$ROOT/bundle}"
LIMIT_MIB=60
JAVACPP=1.5.13
CUDA=13.1-9.19-1.5.13
M2="${MAVEN_REPO:-$HOME/.m2/repository}"

die() { echo "bundle.sh: $*" >&2; exit 1; }

pick_jdk() {
    if [[ -n "${JLINK_JDK:-}" ]]; then echo "$JLINK_JDK"; return; fi
    # The newest JDK with jlink (21+: --compress=zip-9; 24+ links without jmods).
    local d v best="" bestv=0
    for d in /usr/lib/jvm/*; do
        [[ -x "$d/bin/jlink" && -f "$d/release" ]] || continue
        v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release")"
        [[ -n "$v" ]] && (( v > bestv )) && { best="$d"; bestv="$v"; }
    done
    (( bestv >= 21 )) || die "no JDK 21+ with jlink found under /usr/lib/jvm (set JLINK_JDK)"
    echo "$best"
}

cd "$ROOT"
if [[ -z "${SKIP_BUILD:-}" ]]; then
    echo "bundle.sh: building (mvn -B -q -DskipTests -pl benchmarks,models -am install)..."
    mvn -B -q -Dstyle.color=never -DskipTests -pl benchmarks,models -am install \
        || die "the Maven build failed"
fi

jar_of() {   # the module's main jar in its target folder
    local f
    for f in "$ROOT/$1"/target/"$2"-*.jar; do
        case "$f" in *-sources.jar|*-javadoc.jar|*-tests.jar|*\**) continue ;; esac
        echo "$f"; return 0
    done
    die "missing $1/target/$2-*.jar (build first)"
}

rm -rf "$OUTDIR"
mkdir -p "$OUTDIR/lib" "$OUTDIR/models"

# Kiln jars, from this checkout's build.
cp "$(jar_of java-api kiln-api)" "$OUTDIR/lib/kiln-api.jar"
cp "$(jar_of kernels kiln-kernels)" "$OUTDIR/lib/kiln-kernels.jar"
cp "$(jar_of native kiln-cuda)" "$OUTDIR/lib/kiln-cuda.jar"
cp "$(jar_of benchmarks kiln-benchmarks)" "$OUTDIR/lib/kiln-benchmarks.jar"
# The models (shaded; holds kiln-api and kiln-data too): only on the training step's class path.
[[ -f models/target/kiln.jar ]] || die "missing models/target/kiln.jar"
cp models/target/kiln.jar "$OUTDIR/models/kiln.jar"

# Third-party jars from the local Maven repository.
need() { [[ -f "$M2/$1" ]] || die "missing $M2/$1 (run the Maven build once)"; cp "$M2/$1" "$OUTDIR/lib/"; }
need "org/bytedeco/javacpp/$JAVACPP/javacpp-$JAVACPP.jar"
need "org/bytedeco/javacpp/$JAVACPP/javacpp-$JAVACPP-linux-x86_64.jar"
need "org/bytedeco/cuda/$CUDA/cuda-$CUDA.jar"
need "org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar"
need "net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar"
need "org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"
for j in jackson-databind/2.21.3/jackson-databind-2.21.3 jackson-annotations/2.21/jackson-annotations-2.21 \
         jackson-core/2.21.3/jackson-core-2.21.3; do
    need "com/fasterxml/jackson/core/$j.jar"
done

# The CUDA JNI jar holds bindings for every CUDA library (NPP, cuFFT, cuSOLVER, nvJPEG, ...).
# Kiln calls the driver/runtime (jnicudart), cuBLAS (jnicublas) and cuDNN (jnicudnn, the conv/batch-norm
# vendor path) only: repack with those three. (The cuDNN libraries themselves come from the GPU machine.)
CUDA_NATIVE="$M2/org/bytedeco/cuda/$CUDA/cuda-$CUDA-linux-x86_64.jar"
[[ -f "$CUDA_NATIVE" ]] || die "missing $CUDA_NATIVE"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && unzip -q "$CUDA_NATIVE" 'META-INF/MANIFEST.MF' 'org/bytedeco/cuda/linux-x86_64/libjnicudart.so' \
        'org/bytedeco/cuda/linux-x86_64/libjnicublas.so' 'org/bytedeco/cuda/linux-x86_64/libjnicudnn.so' \
        'META-INF/native-image/linux-x86_64/jnicudart/*' 'META-INF/native-image/linux-x86_64/jnicublas/*' \
        'META-INF/native-image/linux-x86_64/jnicudnn/*' \
    && zip -q -r -9 "$OUTDIR/lib/cuda-$CUDA-linux-x86_64-cudart-cublas-cudnn.jar" META-INF org)

# Runtime: jlink (java.desktop is left out: only kiln train's PNG writer needs it, and GpuTrain
# writes no files). Native symbol tables stripped afterwards (about 5 MB of libjvm.so).
JDK="$(pick_jdk)"
"$JDK/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$OUTDIR/jre"
if command -v strip >/dev/null 2>&1; then
    find "$OUTDIR/jre" -name '*.so' -exec chmod u+w {} + -exec strip --strip-unneeded {} +
fi
"$OUTDIR/jre/bin/java" -version >/dev/null 2>&1 || die "the jlinked runtime does not start"

cp "$ROOT/benchmarks/gpu/run.sh" "$OUTDIR/run.sh"
# Word2Vec's text: the tokenised KJV a CPU run wrote (kiln train word2vec --out runs/word2vec-kjv), when present;
# the GPU machine has no bible program.
W2V_CORPUS="${KILN_W2V_CORPUS:-$ROOT/runs/word2vec-kjv/corpus.txt}"
if [[ -f "$W2V_CORPUS" ]]; then cp "$W2V_CORPUS" "$OUTDIR/word2vec-corpus.txt"; else echo "bundle.sh: no $W2V_CORPUS: the word2vec step will be skipped"; fi
{
    echo "Kiln GPU bundle"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
    echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "runtime: $("$OUTDIR/jre/bin/java" -version 2>&1 | head -1)"
} > "$OUTDIR/BUNDLE.txt"

echo "bundle.sh: contents of ${OUTDIR#"$ROOT"/}:"
(cd "$OUTDIR" && du -sh jre && ls -l lib models | awk 'NF > 5 {printf "  %8.1f MiB  %s\n", $5 / 1048576, $NF}')
KIB=$(du -sk "$OUTDIR" | cut -f1)
printf 'bundle.sh: total %.1f MiB (limit %d MiB)\n' "$(echo "$KIB / 1024" | bc -l)" "$LIMIT_MIB"
(( KIB <= LIMIT_MIB * 1024 )) || die "the bundle is larger than $LIMIT_MIB MiB"
