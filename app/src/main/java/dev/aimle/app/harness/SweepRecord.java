package dev.aimle.app.harness;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aimle.app.io.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A sweep's {@code run.json}: one entry per invocation, appended: the command line, the runs it
 * asked for, how many it trained, the wall time, and the versions, device and host. The runs' own
 * numbers are in their directories.
 */
public final class SweepRecord {
    /** The file, in the sweep's output directory. */
    public static final String RUN_JSON = "run.json";
    /** The property of {@code run.json} that names the experiment owning the directory. */
    public static final String EXPERIMENT = "experiment";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SweepRecord() {}

    /**
     * Appends an invocation to {@code out/run.json}, which names the experiment that owns {@code out}.
     *
     * @param experiment the experiment's name
     * @param arguments the command line as given
     * @param runIds the runs the invocation asked for
     * @param trained how many of them it trained (the others were complete)
     * @param master the cluster's master URL, or null for this machine's process pool
     * @param parallel runs at a time on this machine (0 on a cluster: its executors decide)
     * @param seconds wall time
     */
    public static void append(
            Path out,
            String experiment,
            List<String> arguments,
            List<String> runIds,
            int trained,
            String master,
            int parallel,
            double seconds)
            throws IOException {
        Path file = out.resolve(RUN_JSON);
        ObjectNode runJson = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
        runJson.put(EXPERIMENT, experiment);
        ArrayNode sessions =
                runJson.has("sessions") ? (ArrayNode) runJson.get("sessions") : runJson.putArray("sessions");
        ObjectNode session = sessions.addObject();
        session.put("finished", Instant.now().toString());
        session.put("arguments", String.join(" ", arguments));
        session.put("runs", runIds.size());
        session.put("trained", trained);
        if (master == null) {
            session.put("parallel", parallel);
        } else {
            session.put("master", master);
        }
        session.put("wallSeconds", Math.round(seconds * 10) / 10.0);
        session.set(
                "environment",
                JSON.valueToTree(RunEnvironment.current(Engine.getInstance().defaultDevice())
                        .toMap()));
        ArrayNode ids = session.putArray("runIds");
        runIds.forEach(ids::add);
        RunDirectory.writeAtomically(file, JSON.writeValueAsString(runJson));
    }
}
