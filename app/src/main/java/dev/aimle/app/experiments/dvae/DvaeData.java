package dev.aimle.app.experiments.dvae;

import dev.aimle.app.training.Shuffles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The images of the DVAE experiment: the training set minus a fixed, seeded validation split of
 * 10,000 images (a sixth of the set when it has fewer than 20,000), and the test set. Every run uses
 * the same split, so their validation losses compare.
 *
 * @param train training images, {@code trainCount x 784} values in [0, 1]
 * @param validation validation images
 * @param test test images
 * @param size pixels per image
 */
public record DvaeData(float[] train, float[] validation, float[] test, int size) {
    /** The seed of the validation split, fixed across runs. */
    public static final long SPLIT_SEED = 20_230_207L;

    /** The Debian package's directory (dataset-fashion-mnist). */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** The number of training images. */
    public int trainCount() {
        return train.length / size;
    }

    /** The number of validation images. */
    public int validationCount() {
        return validation.length / size;
    }

    /** The number of test images. */
    public int testCount() {
        return test.length / size;
    }

    /**
     * Reads {@code train-*} and {@code t10k-*} IDX files from {@code dir} and splits off validation.
     *
     * @param trainLimit keep only the first this many training images after the split (0: all)
     * @throws IOException naming the file when one is missing or malformed, with how to get the data
     */
    public static DvaeData load(Path dir, int trainLimit) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(missing(dir));
        }
        IdxImages train;
        IdxImages test;
        try {
            train = IdxImages.read(dir, "train");
            test = IdxImages.read(dir, "t10k");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("no ")) {
                throw new IOException(e.getMessage() + ". " + HOW_TO_GET, e);
            }
            throw e;
        }
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new IOException(IdxImages.find(dir, "t10k-images-idx3-ubyte") + " holds images of " + test.rows()
                    + " x " + test.cols() + " but " + IdxImages.find(dir, "train-images-idx3-ubyte") + " of "
                    + train.rows() + " x " + train.cols() + "; they must be the same");
        }
        // an empty set would be evaluated as a loss of 0 and reported as a result
        if (test.count() == 0) {
            throw new IOException(IdxImages.find(dir, "t10k-images-idx3-ubyte") + " holds no images");
        }
        int size = train.size();
        int n = train.count();
        if (n < 6) {
            throw new IOException(IdxImages.find(dir, "train-images-idx3-ubyte") + " holds " + n + " images: too few"
                    + " to split off a validation set (a sixth of them) and train on the rest; at least 6 are needed");
        }
        int validationCount = n >= 20_000 ? 10_000 : n / 6;
        int[] order = Shuffles.permutation(n, new SplittableRandom(SPLIT_SEED));
        int[] validationIdx = Arrays.copyOfRange(order, 0, validationCount);
        int[] trainIdx = Arrays.copyOfRange(order, validationCount, n);
        Arrays.sort(validationIdx);
        Arrays.sort(trainIdx);
        if (trainLimit > 0 && trainLimit < trainIdx.length) {
            trainIdx = Arrays.copyOf(trainIdx, trainLimit);
        }
        return new DvaeData(
                gather(train.pixels(), trainIdx, size),
                gather(train.pixels(), validationIdx, size),
                test.pixels(),
                size);
    }

    /**
     * Checks that the four files are there, without reading them.
     *
     * @throws IOException saying how to get the data when they are not
     */
    public static void checkPresent(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(missing(dir));
        }
        for (String name : new String[] {
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
        }) {
            try {
                IdxImages.find(dir, name);
            } catch (IOException e) {
                throw new IOException(e.getMessage() + ". " + HOW_TO_GET, e);
            }
        }
    }

    private static final String HOW_TO_GET = "Maybe install Fashion-MNIST with"
            + " 'sudo apt-get install dataset-fashion-mnist' (files in " + DEBIAN_FASHION_MNIST + "), or pass"
            + " --data DIR with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz]"
            + " and t10k-labels-idx1-ubyte[.gz] (e.g. MNIST)";

    private static String missing(Path dir) {
        return "no MNIST-format images in " + dir + ". " + HOW_TO_GET;
    }

    static float[] gather(float[] pixels, int[] indices, int size) {
        float[] out = new float[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, out, i * size, size);
        }
        return out;
    }
}
