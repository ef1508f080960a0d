package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aimle.app.harness.Harness;
import dev.aimle.app.harness.Specs;
import dev.aimle.estimators.imle.Aimle;
import dev.aimle.estimators.imle.NoiseScaledAimle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The sweep the flags describe: which runs, with which λ, budget, schedule, data and solver. */
class WarcraftGridTest {

    private static List<WarcraftSpec> grid(String... args) {
        return Harness.grid(new WarcraftExperiment(), args);
    }

    @Test
    void quickIsDbbAndAimleCentralForOneEpochOnFortyMaps() {
        List<WarcraftSpec> grid = grid("--quick");
        assertEquals(
                List.of("dbb_seed0", "aimle-central_seed0"),
                grid.stream().map(WarcraftSpec::id).toList());
        for (WarcraftSpec s : grid) {
            assertEquals(1, s.epochs(), s.id());
            assertEquals(40, s.trainLimit(), s.id());
            assertEquals(20, s.evalLimit(), s.id());
            assertEquals(20, s.batchSize(), s.id());
            assertEquals(5e-4, s.learningRate(), s.id());
            assertTrue(
                    s.dataDir()
                            .endsWith(Path.of("runs", "warcraft", "data-quick").toString()),
                    s.dataDir());
            assertEquals("shortest-path", s.solver());
            assertEquals("8", s.solverConfig().getString("neighbourhood", "?"), "the reference's 8-neighbourhood");
            assertEquals("clip", s.solverConfig().getString("negative", "?"), "negative costs count as 0");
        }
        assertEquals("none", grid.get(0).noise());
        assertEquals(20, grid.get(0).lambda());
    }

    @Test
    void theDefaultGridIsEveryMethodWithImleAtEveryLambdaAndTheDefaultBudget() {
        List<WarcraftSpec> grid = grid();
        // DBB, IMLE F/C x 3 lambdas, AIMLE F/C, STE, Fenchel-Young, baseline
        assertEquals(1 + 6 + 2 + 1 + 1 + 1, grid.size());
        Map<String, Long> byMethod =
                grid.stream().collect(Collectors.groupingBy(s -> s.method().id(), TreeMap::new, Collectors.counting()));
        assertEquals(3L, byMethod.get("imle-forward"));
        assertEquals(1L, byMethod.get("dbb"));
        assertTrue(grid.stream()
                .allMatch(s -> s.epochs() == 10
                        && s.batchSize() == 70
                        && s.trainLimit() == 1000
                        && s.evalLimit() == 200
                        && s.milestones().equals(List.of(6, 8))
                        && s.dataDir()
                                .endsWith(Path.of("runs", "warcraft", "data").toString())));
        assertEquals(grid.size(), grid.stream().map(WarcraftSpec::id).distinct().count(), "one directory per run");
        assertTrue(grid.stream().anyMatch(s -> s.id().equals("imle-central_l100_seed0")));
    }

    @Test
    void theNoiseScaledPresetRunsOnlyWhenNamedWithoutAimlesSettings() {
        List<WarcraftSpec> grid = grid("--methods", "aimle-noise-scaled-forward,aimle-noise-scaled-central");
        assertEquals(2, grid.size());
        for (WarcraftSpec spec : grid) {
            String difference = spec.method() == WarcraftMethod.AIMLE_NOISE_SCALED_CENTRAL ? "central" : "forward";
            assertTrue(spec.method().beyondThePaper());
            assertNull(spec.aimleTarget(), "the preset chooses its own step");
            assertEquals("gumbel", spec.noise(), "the step is measured in the noise's units");
            NoiseScaledAimle e = assertInstanceOf(NoiseScaledAimle.class, WarcraftSession.estimator(spec));
            assertTrue(e.toString().startsWith("AIMLE noise-scaled(" + difference), e.toString());
        }
        assertTrue(grid().stream().noneMatch(s -> s.method().beyondThePaper()), "not in the default grid");
    }

    @Test
    void theReferenceScheduleScalesWithTheEpochsUnlessGiven() {
        assertEquals(
                List.of(30, 40),
                grid("--methods", "ste", "--epochs", "50").get(0).milestones());
        assertEquals(
                List.of(2, 3),
                grid("--methods", "ste", "--epochs", "50", "--milestones", "2,3")
                        .get(0)
                        .milestones());
    }

    @Test
    void flagsReachTheSpec() {
        List<WarcraftSpec> grid = grid(
                "--methods",
                "imle-central,aimle-forward",
                "--lambdas",
                "7",
                "--seeds",
                "2",
                "--noise",
                "sum-of-gamma",
                "--data",
                "/some/where",
                "-P",
                "neighbourhood=4");
        assertEquals(
                List.of(
                        "imle-central_l7_shortest-path_seed0",
                        "imle-central_l7_shortest-path_seed1",
                        "aimle-forward_shortest-path_seed0",
                        "aimle-forward_shortest-path_seed1"),
                grid.stream().map(WarcraftSpec::id).toList());
        assertTrue(grid.stream()
                .allMatch(s -> s.noise().equals("sum-of-gamma") && s.dataDir().equals("/some/where")));
        assertEquals("4", grid.get(0).solverConfig().getString("neighbourhood", "?"));
    }

    @Test
    void badValuesAreBadUsageNamingThem() {
        CommandLine.ParameterException e =
                assertThrows(CommandLine.ParameterException.class, () -> grid("--methods", "dijkstra"));
        assertTrue(
                e.getMessage().contains("unknown method 'dijkstra'")
                        && e.getMessage().contains("fenchel-young"),
                e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class, () -> grid("--noise", "uniform"));
        assertTrue(e.getMessage().contains("noise 'uniform'"), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class, () -> grid("--epochs", "0"));
        assertTrue(e.getMessage().contains("epochs (0)"), e.getMessage());
    }

    @Test
    void aimleStartsAtTheReferencesAlphaWithCOnePerInstanceByDefault() {
        List<WarcraftSpec> grid = grid("--methods", "aimle-forward,aimle-central,imle-forward,dbb");
        for (WarcraftSpec s : grid.subList(0, 2)) {
            assertEquals(20, s.aimleAlpha0(), s.id() + ": the reference's beta0 = lambda = 20");
            assertEquals(1e-3, s.aimleEta(), s.id());
            assertEquals(1.0, s.aimleTarget(), s.id());
            assertEquals("instance", s.aimleTargetUnit(), s.id());
        }
        for (WarcraftSpec s : grid.subList(2, grid.size())) {
            assertEquals(0, s.aimleAlpha0(), s.id());
            assertNull(s.aimleTarget(), s.id());
            assertNull(s.aimleTargetUnit(), s.id());
        }
    }

    @Test
    void aimleFlagsReachTheAimleRunsAndTheirEstimatorOnly() {
        List<WarcraftSpec> grid = grid(
                "--methods",
                "aimle-central,ste",
                "--aimle-alpha0",
                "3",
                "--aimle-target",
                "2.5",
                "--aimle-target-unit",
                "row",
                "--aimle-eta",
                "0.01");
        WarcraftSpec aimle = grid.get(0);
        assertEquals(3, aimle.aimleAlpha0());
        assertEquals(0.01, aimle.aimleEta());
        assertEquals(2.5, aimle.aimleTarget());
        assertEquals("row", aimle.aimleTargetUnit());
        WarcraftSpec ste = grid.get(1);
        assertEquals(0, ste.aimleAlpha0());
        assertNull(ste.aimleTarget());
        Aimle estimator = (Aimle) WarcraftSession.estimator(aimle);
        assertEquals(3, estimator.alpha(), "alpha before the first step is alpha0");
        assertTrue(estimator.isCentral());
        assertTrue(
                estimator.toString().contains("c=2.5 per row")
                        && estimator.toString().contains("alpha0=3.0"),
                estimator.toString());
        Aimle defaults = (Aimle)
                WarcraftSession.estimator(grid("--methods", "aimle-forward").get(0));
        assertEquals(20, defaults.alpha());
        assertTrue(defaults.toString().contains("c=1.0 per instance"), defaults.toString());
    }

    @Test
    void aBadAimleTargetUnitIsBadUsageNamingIt() {
        CommandLine.ParameterException e = assertThrows(
                CommandLine.ParameterException.class,
                () -> grid("--methods", "aimle-forward", "--aimle-target-unit", "path"));
        assertTrue(
                e.getMessage().contains("aimleTargetUnit 'path'")
                        && e.getMessage().contains("row"),
                e.getMessage());
        e = assertThrows(
                CommandLine.ParameterException.class, () -> grid("--methods", "aimle-forward", "--aimle-target", "0"));
        assertTrue(e.getMessage().contains("aimleTarget (0.0)"), e.getMessage());
        IllegalArgumentException i = assertThrows(
                IllegalArgumentException.class,
                () -> WarcraftSpec.defaults(WarcraftMethod.DBB, "data").withAimle(20, 1e-3, 1, "instance"));
        assertTrue(i.getMessage().contains("method dbb takes neither"), i.getMessage());
    }

    @Test
    void aimleSettingsRoundTripThroughSpecJsonAndOtherMethodsWriteNone() {
        for (WarcraftSpec spec : grid("--methods", "aimle-forward,dbb,imle-forward", "--aimle-target", "3")) {
            ObjectNode tree = Specs.toTree(spec);
            assertEquals(spec, Specs.fromTree(tree, WarcraftSpec.class), spec.id());
            boolean adaptive = spec.method().isAdaptive();
            assertEquals(adaptive, tree.has("aimleTarget"), spec.id() + ": " + tree);
            assertEquals(adaptive, tree.has("aimleTargetUnit"), spec.id() + ": " + tree);
        }
        // a spec.json written before the two fields existed ran AIMLE with c = 1 per instance
        ObjectNode old = Specs.toTree(grid("--methods", "aimle-forward").get(0));
        old.remove("aimleTarget");
        old.remove("aimleTargetUnit");
        WarcraftSpec read = Specs.fromTree(old, WarcraftSpec.class);
        assertEquals(1.0, read.aimleTarget());
        assertEquals("instance", read.aimleTargetUnit());
    }

    @Test
    void theSpecRoundTripsThroughJson() throws IOException {
        ObjectMapper json = JsonMapper.builder().build();
        for (WarcraftSpec spec :
                grid("--methods", "dbb,imle-forward,aimle-central,fenchel-young", "-P", "neighbourhood=8")) {
            assertEquals(spec, json.readValue(json.writeValueAsString(spec), WarcraftSpec.class), spec.id());
        }
    }
}
