package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aimle.app.experiments.nri.NriExperiment;
import dev.aimle.app.experiments.nri.NriMethod;
import dev.aimle.app.experiments.warcraft.WarcraftMethod;
import dev.aimle.app.experiments.warcraft.WarcraftSpec;
import org.junit.jupiter.api.Test;

class MethodSpecTest {

    @Test
    void onlyAMethodThatUsesLambdaRecordsIt() {
        assertEquals(
                10.0, NriExperiment.defaults(NriMethod.IMLE_FORWARD, 10, 10, 0).fixedLambda());
        assertEquals(
                Double.NaN,
                NriExperiment.defaults(NriMethod.AIMLE_CENTRAL, 10, 0, 0).fixedLambda());
        assertEquals(Double.NaN, NriExperiment.defaults(NriMethod.STE, 10, 0, 0).fixedLambda());
        // black-box backprop is IMLE at a λ of 20 the spec fixes
        assertEquals(20.0, WarcraftSpec.defaults(WarcraftMethod.DBB, "data").fixedLambda());
    }
}
