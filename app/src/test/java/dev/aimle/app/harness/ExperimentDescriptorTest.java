package dev.aimle.app.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.experiments.dvae.DvaeExperiment;
import dev.aimle.app.experiments.l2x.L2xExperiment;
import dev.aimle.app.experiments.nri.NriExperiment;
import dev.aimle.app.experiments.warcraft.WarcraftExperiment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentDescriptorTest {

    private static Experiment.Descriptor<RunUnitTest.Spec> descriptor(List<String> own) {
        return new Experiment.Descriptor<>("test", "a test", RunUnitTest.Spec.class, "rows.csv", own, Map.of());
    }

    @Test
    void theLoopsColumnsFollowTheExperimentsOwn() {
        assertEquals(
                List.of("step", "train_loss", "score", "lambda", "alpha", "gbar", "seconds", "rss_mb"),
                descriptor(List.of("step", "train_loss", "score")).columns());
    }

    @Test
    void anOwnColumnTheLoopAddsIsRefusedByName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> descriptor(List.of("step", "train_loss", "seconds")));
        assertTrue(e.getMessage().contains("'seconds'") && e.getMessage().contains("test"), e.getMessage());
    }

    @Test
    void everyExperimentsRowsEndWithTheLoopsColumns() {
        for (Experiment<?, ?> experiment :
                List.of(new DvaeExperiment(), new NriExperiment(), new L2xExperiment(), new WarcraftExperiment())) {
            List<String> columns = experiment.columns();
            assertEquals(
                    TrainingLoop.COLUMNS,
                    columns.subList(columns.size() - TrainingLoop.COLUMNS.size(), columns.size()),
                    experiment.name());
            assertTrue(columns.containsAll(List.of("step", "train_loss")), experiment.name() + " " + columns);
        }
    }
}
