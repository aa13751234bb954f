#!/usr/bin/env bash
# Mutation testing (PIT, the `mutation` Maven profile in pom.xml) of Kiln's pure-Java modules.
#
#   ./mutation.sh                          # java-api and data, every class (over an hour on 2 busy cores)
#   ./mutation.sh java-api 'dev.kiln.optim.*,dev.kiln.io.*'   # one module, some classes
#   ./mutation.sh --changed [BASE]         # only the main classes changed since BASE (default: HEAD~1)
#
# Environment: PIT_THREADS (default 2), MVN (default mvn), MVN_FLAGS (extra flags, e.g. -o).
# Reports: <module>/target/pit-reports/index.html and mutations.csv; a table of scores per package is
# printed at the end (killed / all mutants, with timeouts and memory errors counted as killed, as PIT does).
set -euo pipefail
cd "$(dirname "$0")"

MVN=${MVN:-mvn}
THREADS=${PIT_THREADS:-2}
FLAGS=${MVN_FLAGS:-}

score() { # per-package table from PIT's CSV
  python3 - "$@" <<'PY'
import csv, sys, collections
pk = collections.defaultdict(collections.Counter)
for f in sys.argv[1:]:
    for r in csv.reader(open(f)):
        if len(r) < 6:
            continue
        pkg = r[1].rsplit('.', 1)[0]
        for key in (pkg, 'all'):
            pk[key][r[5]] += 1
killed = ('KILLED', 'TIMED_OUT', 'MEMORY_ERROR', 'RUN_ERROR')
print("%-26s %8s %8s %8s %8s %7s" % ("package", "mutants", "killed", "survived", "no cover", "score"))
for p in sorted(pk, key=lambda p: (p == 'all', p)):
    c = pk[p]; n = sum(c.values()); k = sum(c[s] for s in killed)
    print("%-26s %8d %8d %8d %8d %6.1f%%" % (p, n, k, c['SURVIVED'], c['NO_COVERAGE'], 100.0 * k / n if n else 0))
PY
}

run() { # module, target classes
  local module=$1 classes=$2
  echo "== PIT on $module: $classes"
  # the module's dependencies (kiln-api for data) must be installed for a -pl run
  if [ "$module" != java-api ]; then
    $MVN $FLAGS -q -B -pl java-api install -DskipTests
  fi
  $MVN $FLAGS -B -pl "$module" -Pmutation verify \
    -Dpit.threads="$THREADS" -DtargetClasses="$classes"
}

if [ "${1:-}" = "--changed" ]; then
  base=${2:-HEAD~1}
  reports=()
  for module in java-api data; do
    # main sources changed since BASE, as class names (inner classes follow with the $ wildcard)
    classes=$(git diff --name-only --diff-filter=AMR "$base" -- "$module/src/main/java" \
      | sed -n "s#^$module/src/main/java/\(.*\)\.java\$#\1#p" | tr / . | sed 's/$/*/' | paste -sd, -)
    if [ -z "$classes" ]; then
      echo "== $module: no main class changed since $base"
      continue
    fi
    run "$module" "$classes"
    reports+=("$module/target/pit-reports/mutations.csv")
  done
  [ ${#reports[@]} -eq 0 ] || score "${reports[@]}"
  exit 0
fi

if [ $# -ge 1 ]; then
  run "$1" "${2:-dev.kiln.*}"
  score "$1/target/pit-reports/mutations.csv"
  exit 0
fi

run java-api 'dev.kiln.*'
run data 'dev.kiln.data.*'
score java-api/target/pit-reports/mutations.csv data/target/pit-reports/mutations.csv
