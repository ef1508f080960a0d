#!/usr/bin/env bash
# The NRI results run of session 4, after the Scalars fix (see README): from a copy of the built app, so rebuilding does not disturb it.
cd "$(dirname "$0")"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
exec java -Dai.djl.offline=true -cp "aimle-app-0.1.0-SNAPSHOT.jar:lib/*" dev.aimle.app.Main \
  --plugins-dir plugins nri --out runs --data data --timesteps "${T:-10}" \
  --methods aimle-forward,aimle-central,sst,imle-forward,imle-central,ste --lambdas "${LAMBDAS:-1,10,100}" --hidden "${HIDDEN:-64}" --batch "${BATCH:-64}" \
  --iterations "${ITERATIONS:-2000}" --eval-every "${EVAL_EVERY:-200}" --eval-limit 1000 --parallel "${PARALLEL:-2}" "$@"
