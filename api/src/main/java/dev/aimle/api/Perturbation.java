package dev.aimle.api;

import java.util.Objects;

/**
 * How samples are drawn and targets are built: the MAP oracle, the noise distribution, the number
 * S of samples per instance, and the temperatures of the forward perturbation
 * ({@code theta + inputTemperature * eps}) and of the target perturbation
 * ({@code theta' + targetTemperature * eps}, the same eps reused as in I-MLE).
 *
 * @param solver the MAP oracle
 * @param noise the perturbation distribution
 * @param samples S, at least 1
 * @param inputTemperature the forward noise temperature, finite and at least 0
 * @param targetTemperature the target noise temperature, finite and at least 0
 */
public record Perturbation(
        MapSolver solver, NoiseDistribution noise, int samples, double inputTemperature, double targetTemperature) {

    /** Validates every field. */
    public Perturbation {
        Objects.requireNonNull(solver, "solver");
        Objects.requireNonNull(noise, "noise");
        if (samples < 1) {
            throw new IllegalArgumentException("samples (" + samples + ") must be at least 1");
        }
        requireTemperature("inputTemperature", inputTemperature);
        requireTemperature("targetTemperature", targetTemperature);
    }

    /** A perturbation with both temperatures 1. */
    public static Perturbation of(MapSolver solver, NoiseDistribution noise, int samples) {
        return new Perturbation(solver, noise, samples, 1.0, 1.0);
    }

    private static void requireTemperature(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be a finite number at least 0");
        }
    }
}
