#!/usr/bin/env bash
# Engine benchmark matrix: on each data shape, the DuckDB read floor (duckdb-floor.mjs), `assay
# validate` and pandas + scikit-learn + SciPy (python_stack.py) doing the same work on the same
# files, the three taking turns in every round (so a slow minute hits all of them); wall time, CPU
# time and peak RSS from /usr/bin/time; medians of RUNS rounds; the ratios as a markdown table.
#
#   bash bench/engine/matrix.sh [ROWS...] [RUNS]      e.g. bash bench/engine/matrix.sh 1000000 10000000 3
#
# ROWS: one or more row counts (default 1000000); the last argument is RUNS when there are two or
# more (default 3). Shapes (make_data.py): low (the original low-cardinality data), dec6 (numeric
# features with six decimals), wide (100 features, mixed), dec6pq (dec6 as Parquet).
# Environment: SHAPES="low dec6 wide dec6pq" to choose shapes; PYTHON_MAX_ROWS (default 1000000):
# the Python stack runs only up to this many rows (at 10M it needs tens of GB and many minutes).
# Needs Debian's python3-pandas, python3-sklearn, python3-scipy (python3-pyarrow for Parquet
# in Python). Generated data goes to bench/.data (git-ignored); results to bench/.data/matrix-*.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(1000000)
if [ ${#args[@]} -ge 2 ]; then RUNS=${args[-1]}; unset 'args[-1]'; else RUNS=3; fi
ROWS_LIST=("${args[@]}")
SHAPES=${SHAPES:-"low dec6 wide dec6pq"}
PYTHON_MAX_ROWS=${PYTHON_MAX_ROWS:-1000000}
DATA=bench/.data
mkdir -p "$DATA"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
TIMES=$DATA/matrix-$STAMP.txt
: >"$TIMES"

# `assay validate` runs from its bundle (bin/assay.mjs falls back to the TypeScript sources when
# the bundle is older than src/): build it so the figures are the bundle's
node scripts/build-cli.mjs

files() { # shape rows -> sets CUR REF (generating them when missing)
  local shape=$1 rows=$2 base=$1 ext=csv
  if [ "$shape" = dec6pq ]; then base=dec6; ext=parquet; fi
  local csv_cur=$DATA/current_${base}_$rows.csv csv_ref=$DATA/reference_${base}_$rows.csv
  if [ ! -f "$csv_cur" ] || [ ! -f "$csv_ref" ]; then
    echo "generating $base $rows rows..." >&2
    /usr/bin/python3 bench/engine/make_data.py "$base" "$rows" "$DATA" >/dev/null
  fi
  CUR=$DATA/current_${base}_$rows.$ext
  REF=$DATA/reference_${base}_$rows.$ext
  PY_CUR=$CUR
  PY_REF=$REF
  if [ "$ext" = parquet ]; then
    # pandas reads Parquet through pyarrow, which Debian 12 does not package: without it the
    # Python stack reads the same data from the CSV files (noted in the table)
    if ! /usr/bin/python3 -c 'import pyarrow' 2>/dev/null; then
      PY_CUR=$csv_cur
      PY_REF=$csv_ref
      echo "# $shape $rows note: no pyarrow, the Python stack reads the CSV files" >>"$TIMES"
    fi
    [ -f "$CUR" ] || node bench/engine/to-parquet.mjs "$csv_cur" "$CUR"
    [ -f "$REF" ] || node bench/engine/to-parquet.mjs "$csv_ref" "$REF"
  fi
  # the features: every column but the groups, the label and the score (from the CSV header)
  FEATURES=$(head -1 "$csv_cur" | tr ',' '\n' | grep -vxE 'sex|race|age_band|label|score' | paste -sd,)
}

measure() { # shape rows label command...
  local shape=$1 rows=$2 label=$3; shift 3
  /usr/bin/time -f "$shape $rows $label %e %U %S %M" -a -o "$TIMES" "$@" >/dev/null 2>"$DATA/last_err.txt" || {
    cat "$DATA/last_err.txt" >&2
    exit 1
  }
}

for rows in "${ROWS_LIST[@]}"; do
  for shape in $SHAPES; do
    files "$shape" "$rows"
    echo "# $shape $rows load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S)" >>"$TIMES"
    for i in $(seq "$RUNS"); do
      measure "$shape" "$rows" floor node bench/engine/duckdb-floor.mjs "$CUR" "$REF"
      measure "$shape" "$rows" assay node bin/assay.mjs validate --data "$CUR" --reference "$REF" \
        --label label --score score --group sex --group race --group age_band --features "$FEATURES" --json
      if [ "$rows" -le "$PYTHON_MAX_ROWS" ]; then
        measure "$shape" "$rows" python /usr/bin/python3 bench/engine/python_stack.py "$PY_CUR" "$PY_REF" \
          "$DATA/python_out.json" "$FEATURES"
      fi
    done
    echo "# $shape $rows done, load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S)" >>"$TIMES"
  done
done

/usr/bin/python3 bench/engine/matrix_table.py "$TIMES"
echo "(raw figures: $TIMES)"
