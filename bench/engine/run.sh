#!/usr/bin/env bash
# The original single benchmark (issue 3): the low-cardinality shape of the matrix only.
#   bash bench/engine/run.sh [ROWS] [RUNS]      (SKIP_PYTHON=1 to leave the Python stack out)
# See matrix.sh for every shape.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${SKIP_PYTHON:-0}" = 1 ]; then export PYTHON_MAX_ROWS=0; fi
SHAPES=low exec bash bench/engine/matrix.sh "${1:-1000000}" "${2:-3}"
