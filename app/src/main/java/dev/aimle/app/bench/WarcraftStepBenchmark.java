package dev.aimle.app.bench;

import dev.aimle.api.MapSolver;
import dev.aimle.app.experiments.warcraft.WarcraftData;
import dev.aimle.app.experiments.warcraft.WarcraftGenerator;
import dev.aimle.app.experiments.warcraft.WarcraftMethod;
import dev.aimle.app.experiments.warcraft.WarcraftSpec;
import dev.aimle.app.experiments.warcraft.WarcraftSplit;
import dev.aimle.app.experiments.warcraft.WarcraftStepTiming;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One Warcraft training step (CombResNet18 on 70 generated 96×96 maps, the solver named {@code
 * shortest-path}, Hamming loss, Adam) per method. The note gives the median CPU time of the process
 * per step, the figure to set beside the reference's DijkstraMAP step that {@code
 * scripts/warcraft_reference_step.py} prints when run alternately with this bench: on this shared
 * machine wall time is mostly waiting for a core, and a reference figure from another hour would
 * compare the load rather than the code.
 */
public final class WarcraftStepBenchmark implements Benchmark {

    @Override
    public String name() {
        return "warcraft";
    }

    @Override
    public String description() {
        return "a Warcraft training step (CombResNet18, batch 70, 12x12 shortest paths, Adam) per method";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        int warmUp = context.quick() ? 1 : 3;
        int reps = context.quick() ? 2 : 10;
        int batch = context.quick() ? 8 : 70;
        // the experiment's own configuration: 8 neighbours, negative costs counted as 0
        MapSolver solver = context.discovery()
                .solvers()
                .get(WarcraftSpec.DEFAULT_SOLVER)
                .create(WarcraftSpec.defaults(WarcraftMethod.DBB, "generated in memory")
                        .solverConfig());
        WarcraftSplit train = new WarcraftGenerator(12, 8, context.seed()).generate("train", batch, 1, n -> {});
        WarcraftSplit small = new WarcraftGenerator(12, 8, context.seed()).generate("val", 1, 1, n -> {});
        WarcraftData.Splits data = new WarcraftData.Splits(train, small, small);
        List<BenchmarkResult> rows = new ArrayList<>();
        for (WarcraftMethod method : WarcraftMethod.values()) {
            WarcraftSpec spec =
                    WarcraftSpec.defaults(method, "generated in memory").withBudget(1, batch, 0);
            WarcraftStepTiming.Summary t = WarcraftStepTiming.measure(spec, data, solver, warmUp, reps);
            rows.add(new BenchmarkResult(
                    name(),
                    method.id() + " step",
                    "B=" + batch + ", 12x12",
                    t.repetitions(),
                    t.medianMillis(),
                    t.minMillis(),
                    context.quick()
                            ? "smoke size, not comparable with the reference"
                            : String.format(
                                    Locale.ROOT,
                                    "process CPU %.0f ms (median); the reference: scripts/warcraft_reference_step.py",
                                    t.medianCpuMillis())));
            context.progress().printf("warcraft: %s done%n", method.id());
            context.progress().flush();
        }
        return rows;
    }
}
