package dev.aimle.app.experiments.nri;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.estimators.Estimators;
import java.util.Map;

/** The SST estimator, from the estimator registry (provider {@code sst}). */
final class NriSst {
    private NriSst() {}

    static GradientEstimator estimator(double temperature) {
        return Estimators.estimatorRegistry(NriSst.class.getClassLoader())
                .get("sst")
                .create(Config.of(Map.of("temperature", temperature)));
    }
}
