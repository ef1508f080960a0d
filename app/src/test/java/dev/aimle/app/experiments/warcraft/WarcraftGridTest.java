package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.aimle.app.harness.Harness;
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
    void theSpecRoundTripsThroughJson() throws IOException {
        ObjectMapper json = JsonMapper.builder().build();
        for (WarcraftSpec spec : grid("--methods", "dbb,imle-forward,fenchel-young", "-P", "neighbourhood=8")) {
            assertEquals(spec, json.readValue(json.writeValueAsString(spec), WarcraftSpec.class), spec.id());
        }
    }
}
