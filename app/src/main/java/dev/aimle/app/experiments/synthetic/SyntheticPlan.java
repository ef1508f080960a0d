package dev.aimle.app.experiments.synthetic;

import dev.aimle.app.experiments.synthetic.PointKey.Group;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The groups of points each figure needs, and the distinct points of the whole run in execution
 * order (Fig. 3 by n and S, then the lambda sweep, then the warm-up study; a point two figures share
 * is computed once).
 *
 * @param fig3 Fig. 3: every (method, n, S, IMLE lambda) group
 * @param sweep Fig. 1/4: IMLE groups over the lambdas, at each of the sweep's n and its S
 * @param sweepReferences Fig. 4: the other estimators at the sweep's n and S (horizontal lines)
 * @param warmupStudy AIMLE groups per warm-up count and S, at the study's n
 * @param points every distinct point, seeds innermost
 */
public record SyntheticPlan(
        List<Group> fig3,
        List<Group> sweep,
        List<Group> sweepReferences,
        List<Group> warmupStudy,
        List<PointKey> points) {

    /** Copies the lists. */
    public SyntheticPlan {
        fig3 = List.copyOf(fig3);
        sweep = List.copyOf(sweep);
        sweepReferences = List.copyOf(sweepReferences);
        warmupStudy = List.copyOf(warmupStudy);
        points = List.copyOf(points);
    }

    /** The plan of a configuration. */
    public static SyntheticPlan of(SyntheticConfig config) {
        List<Group> fig3 = new ArrayList<>();
        for (int n : config.sizes()) {
            for (int s : config.samples()) {
                for (Method m : config.methods()) {
                    if (m.usesLambda()) {
                        for (double lambda : config.imleLambdas()) {
                            fig3.add(new Group(m, n, s, lambda, 0));
                        }
                    } else {
                        fig3.add(new Group(m, n, s, Double.NaN, config.warmupOf(m)));
                    }
                }
            }
        }
        List<Group> sweep = new ArrayList<>();
        List<Group> references = new ArrayList<>();
        if (config.hasLambdaSweep()) {
            for (int n : config.lambdaSizes()) {
                for (Method m : config.methods()) {
                    if (m.usesLambda()) {
                        for (double lambda : config.lambdas()) {
                            sweep.add(new Group(m, n, config.lambdaSamples(), lambda, 0));
                        }
                    } else {
                        references.add(new Group(m, n, config.lambdaSamples(), Double.NaN, config.warmupOf(m)));
                    }
                }
            }
        }
        List<Group> study = new ArrayList<>();
        if (config.hasWarmupStudy()) {
            for (Method m : config.adaptiveMethods()) {
                for (int w : config.warmupStudy()) {
                    for (int s : config.warmupSamples()) {
                        study.add(new Group(m, config.warmupStudySize(), s, Double.NaN, w));
                    }
                }
            }
        }
        LinkedHashSet<PointKey> points = new LinkedHashSet<>();
        for (List<Group> groups : List.of(fig3, sweep, references, study)) {
            for (Group g : groups) {
                for (int seed = 0; seed < config.seeds(); seed++) {
                    points.add(g.seed(seed));
                }
            }
        }
        return new SyntheticPlan(fig3, sweep, references, study, new ArrayList<>(points));
    }
}
