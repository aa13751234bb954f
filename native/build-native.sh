#!/usr/bin/env bash
# Builds the emulated driver's JNI library and packages it, with the SIMT
# emulator library it loads, as resources of kiln-cuda:
#   target/classes/dev/kiln/cuda/native/linux-x86_64/libkiln_cuda_emu.so
#   target/classes/dev/kiln/cuda/native/linux-x86_64/libkiln_emu.so
# The emulator library is kernels/target/emu/libkiln_emu.so (brought up to
# date with the kernels Makefile's `emu` target). Also builds the test double
# target/fakecuda/libcuda.so.1 (src/test/c/fake_libcuda.c).
#
# Usage: build-native.sh <java.home>     Environment: CC, CUDA_HOME.
set -euo pipefail
cd "$(dirname "$0")"
java_home="${1:-${JAVA_HOME:-}}"
[[ -n "$java_home" && -f "$java_home/include/jni.h" ]] ||
  { echo "build-native.sh: no jni.h under '$java_home/include' (pass a JDK's java.home)" >&2; exit 1; }
CC="${CC:-gcc}"
export CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}"
out=target/classes/dev/kiln/cuda/native/linux-x86_64
mkdir -p "$out" target/native

# Compiler warnings of the kernel sources go to a log; it is shown only on failure.
if ! make -s -C ../kernels CUDA_HOME="$CUDA_HOME" emu > target/native/emu-make.log 2>&1; then
  cat target/native/emu-make.log >&2
  echo "build-native.sh: building the emulator library failed (log above)" >&2
  exit 1
fi

"$CC" -std=c11 -O2 -fPIC -shared -Wall -Wextra -Wno-unused-parameter \
  -I"$java_home/include" -I"$java_home/include/linux" -I../kernels/emu \
  -o target/native/libkiln_cuda_emu.so src/main/c/kiln_cuda_emu.c -ldl
cp target/native/libkiln_cuda_emu.so "$out/"

# cuSPARSE SpMM shim (the sparse family's vendor path): dlopens libcusparse.so.12 at run time.
"$CC" -std=c11 -O2 -fPIC -shared -Wall -Wextra -Wno-unused-parameter \
  -I"$java_home/include" -I"$java_home/include/linux" \
  -o target/native/libkiln_cusparse.so src/main/c/kiln_cusparse.c -ldl
cp target/native/libkiln_cusparse.so "$out/"

# Test double of libcuda.so.1 (src/test/c): lets the real JavaCppDriver run on the emulator.
mkdir -p target/fakecuda
"$CC" -std=c11 -O2 -fPIC -shared -Wall -Wno-unused-parameter -Wl,-soname,libcuda.so.1 \
  -o target/fakecuda/libcuda.so.1 src/test/c/fake_libcuda.c -ldl
cp ../kernels/target/emu/libkiln_emu.so "$out/"
echo "build-native.sh: $(ls "$out")"
