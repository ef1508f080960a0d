#!/usr/bin/env bash
# The learning-to-explain table (README, "Learning to explain") on the generated beer task, in three
# resumable stages on one core: (1) k = 10, seed 0: every method at t in {0.5, 1, 2}, IMLE at t = 1
# and lambda in {10, 100, 1000}, the random and oracle explainers; (2) k = 10: the configuration each
# method chose on seed 0's validation MSE, seeds 1 and 2; (3) k = 5 and 15: the random and oracle
# explainers with one seed (their precision has a closed form), then each method at its k = 10
# choice with seeds 0-2, in the order of the paper's claims (AIMLE and IMLE first). Usage:
# scripts/l2x-table.sh OUT [launcher]. The reduced protocol's sizes are in COMMON (README says what
# was cut and why); run again to resume after a stop.
set -euo pipefail
OUT="${1:?usage: scripts/l2x-table.sh OUT [launcher]}"
AIMLE="${2:-$(dirname "$0")/../aimle}"
COMMON=(--task beer --task-size 1000,800,400,50 --epochs 4 --filters 100 --parallel 1 --engine-threads 1 --out "$OUT")
ALL=random,oracle,softsub,ste,sst,imle-forward,imle-central,aimle-forward,aimle-central
date -u +"stage 1 start %H:%M:%S"
"$AIMLE" l2x "${COMMON[@]}" --k 10 --methods random,oracle,aimle-central,aimle-forward,softsub,ste,sst --temperatures 0.5,1,2
"$AIMLE" l2x "${COMMON[@]}" --k 10 --methods imle-central,imle-forward --temperatures 1 --lambdas 10,100,1000
date -u +"stage 2 start %H:%M:%S"
"$AIMLE" l2x "${COMMON[@]}" --k 10 --methods "$ALL" --temperatures 0.5,1,2 --lambdas 10,100,1000 --chosen-only --seeds 3
date -u +"stage 3 start %H:%M:%S"
"$AIMLE" l2x "${COMMON[@]}" --k 5,15 --methods random,oracle --seeds 1
for method in aimle-central imle-central aimle-forward imle-forward softsub ste sst; do
    # the method's choice at k = 10: the lowest validation MSE of seed 0
    read -r t lambda < <(awk -F, -v m="$method" 'NR > 1 && $2 == m && $3 == 10 && $6 == 0 {
        if (best == "" || $9 < best) { best = $9; t = $4; l = $5 } } END { print t, (l == "" ? 100 : l) }' "$OUT/summary.csv")
    "$AIMLE" l2x "${COMMON[@]}" --k 5,15 --methods "$method" --temperatures "$t" --lambdas "$lambda" --seeds 3
done
date -u +"done %H:%M:%S"
