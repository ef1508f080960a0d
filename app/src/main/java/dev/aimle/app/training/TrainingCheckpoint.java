package dev.aimle.app.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training state an experiment's checkpoint holds: a block's parameters (with whatever state
 * its blocks save, e.g. a discrete layer's noise stream and estimator state) in {@code
 * model.params}, and Adam's moments in {@code optimizer.bin}. Restoring both and continuing gives
 * the same numbers as never stopping.
 */
public final class TrainingCheckpoint {
    /** The parameters file. */
    public static final String PARAMETERS = "model.params";
    /** The optimiser file. */
    public static final String OPTIMIZER = "optimizer.bin";

    private TrainingCheckpoint() {}

    /** Writes the block's parameters and the optimiser's state into {@code dir}. */
    public static void save(Path dir, Block block, ResumableAdam adam) throws IOException {
        try (DataOutputStream out = dataOut(dir.resolve(PARAMETERS))) {
            block.saveParameters(out);
        }
        try (DataOutputStream out = dataOut(dir.resolve(OPTIMIZER))) {
            adam.save(block.getParameters(), out);
        }
    }

    /**
     * Loads what {@link #save} wrote into an initialised block and the optimiser; the parameters
     * that are trained require gradients again (DJL's loading does not keep that). Create the trainer after this.
     *
     * @throws IOException also when the files do not fit the block
     */
    public static void restore(Path dir, Block block, NDManager manager, ResumableAdam adam) throws IOException {
        Path parameters = dir.resolve(PARAMETERS);
        try (DataInputStream in = dataIn(parameters)) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw damaged(parameters, "does not fit this run (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw damaged(parameters, "is truncated");
        }
        // running statistics (batch norm) are parameters that are not trained
        block.getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .forEach(p -> p.getArray().setRequiresGradient(true));
        Path optimizer = dir.resolve(OPTIMIZER);
        try (DataInputStream in = dataIn(optimizer)) {
            adam.load(block.getParameters(), in);
        } catch (EOFException e) {
            throw damaged(optimizer, "is truncated");
        }
    }

    /** A checkpoint file that cannot be used, named with what is wrong and the way out. */
    private static IOException damaged(Path file, String what) {
        Path run = file.getParent().getParent();
        return new IOException(
                file + " " + what + "; the run cannot resume from it. Move " + run + " away to start that run afresh");
    }

    private static DataOutputStream dataOut(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    private static DataInputStream dataIn(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }
}
