#!/usr/bin/env bash
# Engine benchmark: `assay validate` against pandas + scikit-learn + SciPy doing the same work on
# the same files in the same run; wall time and peak RSS from /usr/bin/time, medians of RUNS runs.
#   bash bench/engine/run.sh [ROWS] [RUNS]      (needs Debian's python3-sklearn, python3-scipy, python3-pandas)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
RUNS=${2:-3}
DATA=bench/.data
mkdir -p "$DATA"
CUR=$DATA/current_$ROWS.csv
REF=$DATA/reference_$ROWS.csv
[ -f "$CUR" ] || /usr/bin/python3 bench/engine/make_data.py "$ROWS" "$DATA"
FEATURES=f_income,f_age,f_tenure,f_balance,f_utilisation,f_inquiries,c_region,c_channel,c_product,c_segment

measure() { # label, command...
  local label=$1; shift
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f "$label %e %M" -a -o "$DATA/times_$ROWS.txt" "$@" >/dev/null 2>"$DATA/last_err.txt" || { cat "$DATA/last_err.txt"; exit 1; }
  done
}
rm -f "$DATA/times_$ROWS.txt"
measure floor node bench/engine/duckdb-floor.mjs "$CUR" "$REF"
measure assay node bin/assay.mjs validate --data "$CUR" --reference "$REF" --label label --score score \
  --group sex --group race --group age_band --features "$FEATURES" --json
if [ "${SKIP_PYTHON:-0}" != 1 ]; then
  measure python /usr/bin/python3 bench/engine/python_stack.py "$CUR" "$REF" "$DATA/python_out.json"
fi
/usr/bin/python3 - "$DATA/times_$ROWS.txt" "$ROWS" <<'PY'
import statistics, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    label, secs, kb = line.split()
    runs[label].append((float(secs), int(kb)))
med = {k: (statistics.median(s for s, _ in v), max(m for _, m in v) / 1024) for k, v in runs.items()}
print(f"rows={sys.argv[2]}")
print("| run | median wall (s) | peak RSS (MiB) |")
print("| --- | ---: | ---: |")
for k, (s, m) in med.items():
    print(f"| {k} | {s:.2f} | {m:.0f} |")
if "python" in med and "assay" in med:
    print(f"\nspeed-up assay vs python: {med['python'][0] / med['assay'][0]:.1f}x; memory ratio: {med['assay'][1] / med['python'][1]:.2f}")
    print(f"assay vs floor: {med['assay'][0] / med['floor'][0]:.1f}x the DuckDB read floor")
PY
