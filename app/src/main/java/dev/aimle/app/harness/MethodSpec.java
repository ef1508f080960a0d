package dev.aimle.app.harness;

/**
 * The spec of a run of one of an experiment's {@link Method methods}, with the λ of the grid (0 for a
 * method that takes none): what the loop needs to record a fixed λ in every row.
 */
public interface MethodSpec extends UnitSpec {
    /** The run's method. */
    Method method();

    /** The run's fixed λ, 0 for a method without one. */
    double lambda();

    /** {@link #lambda()} for a method that {@linkplain Method#usesLambda uses} it, else NaN. */
    @Override
    default double fixedLambda() {
        return method().usesLambda() ? lambda() : Double.NaN;
    }
}
