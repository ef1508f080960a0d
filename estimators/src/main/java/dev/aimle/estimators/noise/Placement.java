package dev.aimle.estimators.noise;

import ai.djl.Device;
import java.util.Locale;

/**
 * Where a noise distribution draws its numbers.
 *
 * <ul>
 *   <li>{@link #HOST}: on the host, in fixed chunks from the caller's generator (see
 *       {@link HostNoise}): the same numbers for the same generator state on every device and for
 *       any number of threads; then copied to the array's device.
 *   <li>{@link #ENGINE}: with the engine's own random operators, on the device of the manager that
 *       receives the array: no host work and no copy, which is what an accelerator wants. The
 *       engine's generator is reseeded from the caller's generator before each draw, so the same
 *       generator state gives the same numbers on the same device and engine version, but not the
 *       host's numbers, and not the same numbers on another device (CPU and CUDA generators differ).
 *       Reseeding is global to the engine: other random operators of the engine (dropout, say) then
 *       follow the noise's stream too, and concurrent engine draws from several threads interleave.
 *   <li>{@link #AUTO} (the default): {@code HOST} for a CPU manager, {@code ENGINE} for any other.
 * </ul>
 *
 * <p>Tested here on the CPU only (both placements); the engine placement on a GPU is expected to
 * work (it uses only DJL's device-agnostic operators) but could not be run on this machine.
 */
public enum Placement {
    /** On the host, reproducible across devices and thread counts. */
    HOST,
    /** With the engine on the array's device. */
    ENGINE,
    /** {@link #HOST} on the CPU, {@link #ENGINE} elsewhere. */
    AUTO;

    /** Whether noise for an array on {@code device} is drawn by the engine. */
    public boolean usesEngine(Device device) {
        return this == ENGINE || (this == AUTO && !Device.Type.CPU.equals(device.getDeviceType()));
    }

    /** The lower-case name used in configuration. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The placement called {@code name} ({@code host}, {@code engine} or {@code auto}).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Placement fromConfigName(String name) {
        for (Placement p : values()) {
            if (p.configName().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("noise placement (" + name + ") must be one of host, engine, auto");
    }
}
