import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.ndarray.types.DataType;

/**
 * PyTorch 2.7.1 CPU (through DJL 0.36): a 1-d convolution over 50 input channels with kernel 3
 * returns NaN on finite inputs once freed memory has held NaN bit patterns; the same at 64 channels,
 * or kernel 1, does not. Each call first fills and frees a few arrays of NaN, then convolves finite
 * values and counts the calls whose output holds a NaN.
 *
 * Run: java -cp 'app/target/lib/*' docs/upstream/Conv1dUninitialised.java   (DJL_OFFLINE=true)
 */
public class Conv1dUninitialised {
    public static void main(String[] args) {
        for (int[] c : new int[][] {{50, 3}, {64, 3}, {50, 1}}) {
            System.out.printf("channels %d, kernel %d: %s%n", c[0], c[1], run(c[0], c[1]));
        }
    }

    static String run(int channels, int kernel) {
        int calls = 100;
        int nan = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.randomNormal(new Shape(100, channels, kernel));
            NDArray bias = manager.zeros(new Shape(100));
            for (int t = 0; t < calls; t++) {
                try (NDManager scope = manager.newSubManager()) {
                    for (int i = 0; i < 4; i++) { // NaN bit patterns in memory that is then freed
                        scope.full(new Shape(40, channels, 64 + i), Float.NaN, DataType.FLOAT32).close();
                    }
                    NDArray x = scope.randomNormal(new Shape(40, channels, 64));
                    NDArray y = Conv1d.conv1d(x, weight, bias, new Shape(1), new Shape(kernel / 2), new Shape(1), 1)
                            .singletonOrThrow();
                    if (y.isNaN().any().getBoolean()) {
                        nan++;
                    }
                }
            }
        }
        return nan + " of " + calls + " calls returned NaN";
    }
}
