package dev.aimle.app.harness;

import dev.aimle.app.options.EngineThreadsOption;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link UnitExecutor} is asked to run: the unfinished units of one sweep, each a directory
 * {@code STORE/ID} holding its {@code spec.json} (and, once started, its rows and last checkpoint),
 * and how to run one: {@code aimle --plugins-dir PLUGINS UNIT_COMMAND... DIR} in a JVM of its own
 * with the given system properties (one engine thread, the engine offline), exactly as on this
 * machine.
 *
 * @param sweep the sweep's name, e.g. {@code nri}, for logs and the cluster's application name
 * @param store the sweep's output directory as a URI: {@code file:} here; a cluster's executors also
 *     read Hadoop FileSystem URIs such as {@code hdfs://nn/runs/nri} or {@code s3a://bucket/nri}
 * @param unitIds the units to run, each a directory name under {@code store}
 * @param rowsWanted the rows a complete unit has, by id (every id has one): a unit whose process
 *     ends well before its rows are committed has failed
 * @param unitCommand the app's arguments that run one unit, before its directory, e.g. {@code
 *     [unit, --solver-timeout, 60]}
 * @param pluginsDirectory the solver plugins directory on this machine (a cluster ships its jars)
 * @param systemProperties {@code -D} properties of each unit's JVM, e.g. {@link #forwardedProperties()}
 * @param data remote data directories the units read through a local copy, by the copy's absolute
 *     path (the path the units' {@code spec.json} name, {@link SweepStores#mirrorPath}): a cluster's
 *     executor makes the copy before it runs a unit; empty when the data is on this machine or a
 *     shared mount
 */
public record UnitBatch(
        String sweep,
        URI store,
        List<String> unitIds,
        Map<String, Integer> rowsWanted,
        List<String> unitCommand,
        Path pluginsDirectory,
        Map<String, String> systemProperties,
        Map<String, URI> data) {

    /** A batch whose data is on every machine at the path the specs name. */
    public UnitBatch(
            String sweep,
            URI store,
            List<String> unitIds,
            Map<String, Integer> rowsWanted,
            List<String> unitCommand,
            Path pluginsDirectory,
            Map<String, String> systemProperties) {
        this(sweep, store, unitIds, rowsWanted, unitCommand, pluginsDirectory, systemProperties, Map.of());
    }

    /** Checks and copies the values. */
    public UnitBatch {
        Objects.requireNonNull(sweep, "sweep");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(pluginsDirectory, "pluginsDirectory");
        if (!store.isAbsolute() || store.getPath() == null || store.getPath().isEmpty()) {
            throw new IllegalArgumentException("store (" + store
                    + ") must be an absolute URI with a path, e.g. file:/data/runs/nri or hdfs://namenode/runs/nri");
        }
        unitIds = List.copyOf(unitIds);
        Set<String> seen = new HashSet<>();
        for (String id : unitIds) {
            if (id.isBlank() || id.contains("/") || id.equals(".") || id.equals("..")) {
                throw new IllegalArgumentException("unit id '" + id + "' must be a plain directory name");
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException("unit id '" + id + "' is given twice");
            }
        }
        rowsWanted = Map.copyOf(rowsWanted);
        for (String id : unitIds) {
            if (rowsWanted.getOrDefault(id, 0) < 1) {
                throw new IllegalArgumentException(
                        "rowsWanted (" + rowsWanted.get(id) + ") of unit '" + id + "' must be at least 1");
            }
        }
        unitCommand = List.copyOf(unitCommand);
        if (unitCommand.isEmpty()) {
            throw new IllegalArgumentException("unitCommand must name the command that runs a unit, e.g. [unit]");
        }
        systemProperties = Map.copyOf(systemProperties);
        data = Map.copyOf(data);
    }

    /** The directory of unit {@code id} in the store, without a trailing slash. */
    public URI unitUri(String id) {
        String base = store.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/" + id);
    }

    /**
     * The system properties of this JVM that a unit's JVM must share to give the same numbers and
     * stay offline: the engine's thread count and DJL's offline switch (those that are set).
     */
    public static Map<String, String> forwardedProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String property : List.of(EngineThreadsOption.PROPERTY, "ai.djl.offline")) {
            String value = System.getProperty(property);
            if (value != null) {
                properties.put(property, value);
            }
        }
        return properties;
    }
}
