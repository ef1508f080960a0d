package dev.aimle.app.experiments.dvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.harness.Harness;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The sweep the flags describe: which runs, with which K, S, lambda and seed. */
class DvaeGridTest {

    private static List<DvaeSpec> grid(String... args) {
        return Harness.grid(new DvaeExperiment(), args);
    }

    @Test
    void theDefaultGridIsThePapersMethodsAtBothK() {
        List<DvaeSpec> grid = grid();
        // per K: AIMLE F/C, IMLE F/C x 3 lambdas, STE; Gumbel-softmax at K = 1 only
        assertEquals(9 + 10, grid.size());
        Map<String, Long> byMethod = grid.stream()
                .collect(
                        Collectors.groupingBy(s -> s.method().id() + "@" + s.k(), TreeMap::new, Collectors.counting()));
        assertEquals(3L, byMethod.get("imle-central@10"));
        assertEquals(1L, byMethod.get("gumbel-softmax@1"));
        assertTrue(!byMethod.containsKey("gumbel-softmax@10"));
        assertTrue(grid.stream()
                .allMatch(s -> s.epochs() == 100
                        && s.batchSize() == 100
                        && s.learningRate() == 1e-3
                        && s.samples() == 1
                        && !s.imleScaling()));
        assertEquals(grid.size(), grid.stream().map(DvaeSpec::id).distinct().count(), "one directory per run");
    }

    @Test
    void aimleSamplesAndSeedsMultiplyOnlyWhereTheyApply() {
        List<DvaeSpec> grid = grid(
                "--methods",
                "aimle-central,imle-forward,ste",
                "--k",
                "10",
                "--aimle-samples",
                "1,5,10",
                "--lambdas",
                "10",
                "--seeds",
                "2");
        assertEquals(2 * (3 + 1 + 1), grid.size());
        assertTrue(grid.stream()
                .filter(s -> s.method() != DvaeMethod.AIMLE_CENTRAL)
                .allMatch(s -> s.samples() == 1));
        assertEquals(
                List.of("aimle-central_k10_s1_seed0", "aimle-central_k10_s1_seed1", "aimle-central_k10_s5_seed0"),
                grid.stream().map(DvaeSpec::id).limit(3).toList());
        assertTrue(grid.stream().anyMatch(s -> s.id().equals("imle-forward_k10_s1_l10_seed1")));
    }

    @Test
    void fixedTargetsMultiplyTheCalibratedMethodsOnly() {
        List<DvaeSpec> grid = grid(
                "--methods",
                "aimle-calibrated-forward,aimle-central",
                "--k",
                "1",
                "--calibrated-target",
                "0.25,1",
                "--seeds",
                "2");
        assertEquals(
                List.of(
                        "aimle-calibrated-forward_k1_s1_c0.25_seed0",
                        "aimle-calibrated-forward_k1_s1_c0.25_seed1",
                        "aimle-calibrated-forward_k1_s1_c1_seed0",
                        "aimle-calibrated-forward_k1_s1_c1_seed1",
                        "aimle-central_k1_s1_seed0",
                        "aimle-central_k1_s1_seed1"),
                grid.stream().map(DvaeSpec::id).toList());
        assertTrue(grid("--methods", "aimle-calibrated-central", "--k", "1").stream()
                .allMatch(s -> s.calibratedTarget() == null));
        CommandLine.ParameterException bad = assertThrows(
                CommandLine.ParameterException.class,
                () -> grid("--methods", "aimle-calibrated-central", "--calibrated-target", "1,-2"));
        assertTrue(bad.getMessage().contains("(-2.0)"), bad.getMessage());
    }

    @Test
    void quickIsASmallRunAndBadValuesAreUsageErrors() {
        List<DvaeSpec> quick = grid("--quick");
        assertEquals(2, quick.size());
        assertTrue(quick.stream().allMatch(s -> s.k() == 10 && s.epochs() == 1 && s.trainLimit() == 2000));
        CommandLine.ParameterException method =
                assertThrows(CommandLine.ParameterException.class, () -> grid("--methods", "reinforce"));
        assertTrue(method.getMessage().contains("unknown method 'reinforce'"), method.getMessage());
        assertThrows(CommandLine.ParameterException.class, () -> grid("--k", "25"));
        assertThrows(CommandLine.ParameterException.class, () -> grid("--methods", "gumbel-softmax", "--k", "10"));
        assertThrows(CommandLine.ParameterException.class, () -> grid("--seeds", "0"));
    }

    @Test
    void aRepeatedListValueNamesARunOnce() {
        // --k 10,10 --parallel 2 trained the same directory twice at once
        List<DvaeSpec> grid = grid("--k", "10,10", "--methods", "ste,ste", "--lambdas", "10,10", "--seeds", "1");
        assertEquals(
                List.of("ste_k10_s1_seed0"), grid.stream().map(DvaeSpec::id).toList());
        assertEquals(
                List.of("imle-forward_k10_s1_l10_seed0"),
                grid("--k", "10,10", "--methods", "imle-forward", "--lambdas", "10,10.0").stream()
                        .map(DvaeSpec::id)
                        .toList());
    }
}
