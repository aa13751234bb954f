#!/usr/bin/env bash
# Fails when a PTX file declares a PTX ISA version newer than the oldest driver Kiln targets
# accepts: cuModuleLoadData on that driver would refuse it (CUDA_ERROR_UNSUPPORTED_PTX_VERSION)
# only on the GPU machine. Driver 580 (CUDA 13.0) JIT-compiles PTX ISA up to 9.0.
#
#   tools/check_ptx_version.sh MAX FILE...     e.g. tools/check_ptx_version.sh 9.0 target/ptx/*.ptx
#   tools/check_ptx_version.sh --self-test     checks this script on made-up PTX headers
set -uo pipefail

# newer A B: exit 0 when version A (major.minor) is newer than B.
newer() {
  local a_major="${1%%.*}" a_minor="${1#*.}" b_major="${2%%.*}" b_minor="${2#*.}"
  (( a_major > b_major || (a_major == b_major && a_minor > b_minor) ))
}

check() {
  local max="$1"; shift
  [[ "$max" =~ ^[0-9]+\.[0-9]+$ ]] || { echo "check_ptx_version: bad maximum '$max' (want MAJOR.MINOR)" >&2; return 2; }
  local f v status=0
  for f in "$@"; do
    v="$(grep -m1 -E '^[[:space:]]*\.version[[:space:]]+[0-9]+\.[0-9]+' "$f" | awk '{print $2}')"
    if [[ -z "$v" ]]; then
      echo "check_ptx_version: $f has no .version directive" >&2; status=1
    elif newer "$v" "$max"; then
      echo "check_ptx_version: $f is PTX ISA $v, newer than $max (the oldest supported driver's;" \
           "set KILN_PTX_MAX_VERSION to change it, or build with an older nvcc)" >&2
      status=1
    fi
  done
  return $status
}

if [[ "${1:-}" == --self-test ]]; then
  d="$(mktemp -d)"; trap 'rm -rf "$d"' EXIT
  printf '//\n.version 9.0\n.target sm_80\n' > "$d/ok.ptx"
  printf '.version 8.10\n.target sm_80\n' > "$d/old.ptx"
  printf '.version 9.1\n.target sm_80\n' > "$d/new.ptx"
  printf '.version 10.0\n.target sm_80\n' > "$d/major.ptx"
  printf '.target sm_80\n' > "$d/none.ptx"
  fail=0
  check 9.0 "$d/ok.ptx" "$d/old.ptx" 2>/dev/null || { echo "self-test: 9.0 and 8.10 should pass under 9.0" >&2; fail=1; }
  for bad in new major none; do
    check 9.0 "$d/$bad.ptx" 2>/dev/null && { echo "self-test: $bad.ptx should fail under 9.0" >&2; fail=1; }
  done
  check 9.1 "$d/new.ptx" 2>/dev/null || { echo "self-test: 9.1 should pass under 9.1" >&2; fail=1; }
  check nine "$d/ok.ptx" 2>/dev/null && { echo "self-test: a bad maximum should fail" >&2; fail=1; }
  exit $fail
fi
[[ $# -ge 2 ]] || { echo "usage: check_ptx_version.sh MAX FILE... | --self-test" >&2; exit 2; }
check "$@"
