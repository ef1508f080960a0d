import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * DJL 0.36 / PyTorch engine: x.mul(3f) hands autograd a scalar tensor over a Java direct buffer
 * that DJL closes when mul returns; once the garbage collector frees that buffer, the backward pass
 * of the product reads freed memory. Here the freed memory is refilled with NaN bit patterns, so the
 * gradient of sum(3x), which is 3 everywhere, comes out NaN.
 *
 * Run: java -cp 'app/target/lib/*' docs/upstream/FreedScalar.java   (DJL_OFFLINE=true)
 */
public class FreedScalar {
    public static void main(String[] args) throws InterruptedException {
        System.out.println("x.mul(3f):                   " + run(false));
        System.out.println("x.mul(engine-owned scalar 3): " + run(true));
    }

    static String run(boolean engineOwned) throws InterruptedException {
        int trials = 50;
        int wrong = 0;
        List<ByteBuffer> filler = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int t = 0; t < trials; t++) {
                NDArray x = manager.create(new float[] {1f, 2f, 3f});
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = engineOwned
                            ? x.mul(manager.full(new Shape(), 3f)).sum() // torch::full: memory the engine owns
                            : x.mul(3f).sum(); // the scalar 3f: a from_blob tensor over a direct buffer
                    System.gc(); // the closed scalar's buffer becomes garbage: let the cleaner free it
                    Thread.sleep(20);
                    for (int i = 0; i < 2000; i++) { // reuse freed memory, NaN everywhere
                        ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                        b.putFloat(0, Float.NaN);
                        filler.add(b);
                    }
                    gc.backward(y);
                }
                float[] g = x.getGradient().toFloatArray();
                if (g[0] != 3f || g[1] != 3f || g[2] != 3f) {
                    wrong++;
                    if (wrong <= 3) {
                        System.out.println("trial " + t + ": gradient " + java.util.Arrays.toString(g) + ", expected [3, 3, 3]");
                    }
                }
                filler.clear();
            }
        }
        return wrong + " of " + trials + " gradients wrong";
    }
}
