#!/usr/bin/env bash
# A/B of two `assay validate` bundles on the matrix's files, alternating (A B A B …) so that a
# slow minute hits both; prints wall, CPU (user + sys) and peak RSS of every run and the load.
#   bash bench/engine/ab.sh OLD_CHECKOUT [ROUNDS] [SHAPES]
# OLD_CHECKOUT: another checkout of the repository with its bundle built (`node scripts/build-cli.mjs`
# there), e.g. from `git archive <commit> | tar -x -C /tmp/old`. The data must exist (matrix.sh
# generates it). SHAPES default "low dec6pq".
set -euo pipefail
cd "$(dirname "$0")/../.."
OLD=$1
ROUNDS=${2:-2}
SHAPES=${3:-"low dec6pq"}
DATA=bench/.data
node scripts/build-cli.mjs >/dev/null
for shape in $SHAPES; do
  base=$shape ext=csv
  if [ "$shape" = dec6pq ]; then base=dec6; ext=parquet; fi
  CUR=$(realpath "$DATA/current_${base}_1000000.$ext")
  REF=$(realpath "$DATA/reference_${base}_1000000.$ext")
  FEATURES=$(head -1 "$DATA/current_${base}_1000000.csv" | tr ',' '\n' | grep -vxE 'sex|race|age_band|label|score' | paste -sd,)
  echo "# $shape load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S)"
  for i in $(seq "$ROUNDS"); do
    for side in old new; do
      dir=.
      [ "$side" = old ] && dir=$OLD
      /usr/bin/time -f "$shape $side %e s wall %U user %S sys %M KiB" \
        node "$dir/bin/assay.mjs" validate --data "$CUR" --reference "$REF" --label label --score score \
        --group sex --group race --group age_band --features "$FEATURES" --json 2>&1 >/dev/null | grep -v '^assay validate' |
        awk '{ printf "%s  cpu %.2f s\n", $0, $6 + $8 }'
    done
  done
done
echo "# end load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S)"
