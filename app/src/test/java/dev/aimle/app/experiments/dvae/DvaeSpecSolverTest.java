package dev.aimle.app.experiments.dvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.aimle.api.Config;
import dev.aimle.app.harness.Specs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The solver is part of a DVAE run's spec: recorded, round-tripped, and absent for the default top-k. */
class DvaeSpecSolverTest {

    private static DvaeSpec spec(String solver, Map<String, String> params) {
        return new DvaeSpec(DvaeMethod.STE, 10, 1, 0, false, 3, 2, 40, 1e-3, "/data", 0, solver, params, null);
    }

    @Test
    void theDefaultSolverLeavesSpecsAsTheyWere() {
        DvaeSpec plain = new DvaeSpec(DvaeMethod.STE, 10, 1, 0, false, 3, 2, 40, 1e-3, "/data", 0);
        assertEquals(spec("topk", Map.of()), plain);
        assertFalse(Specs.toTree(plain).has("solver"), "spec.json of a top-k run has no solver key");
        assertFalse(Specs.toTree(plain).has("solverParams"));
        assertEquals("ste_k10_s1_seed3", plain.id());
        assertEquals(Config.of("k", 10), plain.solverConfig());
    }

    @Test
    void anotherSolverIsRecordedNamedAndRoundTripped() {
        DvaeSpec ilp = spec("aimle-ilp:ilp", Map.of("problem", "/rows.json"));
        assertEquals("ste_k10_s1_aimle-ilp-ilp_seed3", ilp.id());
        assertEquals("aimle-ilp:ilp", Specs.toTree(ilp).get("solver").asText());
        assertEquals(ilp, Specs.fromTree(Specs.toTree(ilp), DvaeSpec.class));
        assertEquals(Config.of("problem", "/rows.json"), ilp.solverConfig(), "K goes to a topk solver only");
        assertEquals(ilp, ilp.withEpochs(5).withEpochs(2));
    }
}
