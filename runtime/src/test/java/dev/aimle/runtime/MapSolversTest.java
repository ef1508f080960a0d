package dev.aimle.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.InvalidSolverOutputException;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.ScoreDomain;
import dev.aimle.api.SolverDeadlineException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The output check and the time limit of {@link MapSolvers#checked}, over deliberately faulty solvers. */
class MapSolversTest {
    private static final String SOURCE = "faulty@1.0";

    private NDManager manager;
    private NDArray theta;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        theta = manager.create(new float[] {0.3f, -1f, 2f, 0.5f, 4f, -2f}, new Shape(2, 3));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A solver whose output is whatever {@code body} makes of theta. */
    private static MapSolver solver(Function<NDArray, NDArray> body) {
        return new MapSolver() {
            @Override
            public NDArray solve(NDArray t) {
                return body.apply(t);
            }

            @Override
            public String name() {
                return "faulty";
            }
        };
    }

    private static NDArray argmax(NDArray t) {
        return t.argMax(1).oneHot(3).toType(DataType.FLOAT32, false);
    }

    private String violation(Function<NDArray, NDArray> body) {
        MapSolver checked = MapSolvers.checked(solver(body), SOURCE, MapSolvers.Guard.defaults());
        InvalidSolverOutputException e = assertThrows(InvalidSolverOutputException.class, () -> checked.solve(theta));
        assertTrue(e.getMessage().startsWith("solver 'faulty' from " + SOURCE + " returned"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aCorrectOutputPassesUnchanged() {
        MapSolver checked = MapSolvers.checked(solver(MapSolversTest::argmax), SOURCE, MapSolvers.Guard.defaults());
        NDArray z = checked.solve(theta);
        assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0}, z.toFloatArray(), 0f);
        assertEquals("faulty", checked.name());
    }

    @Test
    void nonBinaryValuesAreRefusedWithAWitness() {
        String m = violation(t -> times(argmax(t), 0.5f));
        assertTrue(m.contains("2 of 6 values that are not exactly 0 or 1, the first 0.5 at flat index 2"), m);
    }

    @Test
    void nanIsRefused() {
        String m = violation(t -> argmax(t).div(t.getManager().zeros(new Shape())));
        assertTrue(m.contains("not exactly 0 or 1, the first NaN at flat index 0"), m);
    }

    @Test
    void int32IsRefused() {
        String m = violation(t -> argmax(t).toType(DataType.INT32, false));
        assertTrue(m.contains("returned int32 values; the output must be float32"), m);
    }

    @Test
    void theInputArrayItselfIsRefused() {
        String m = violation(t -> t);
        assertTrue(m.contains("returned its input array itself"), m);
    }

    @Test
    void anotherShapeIsRefused() {
        String m = violation(t -> argmax(t).reshape(3, 2));
        assertTrue(m.contains("returned shape (3, 2) for input shape (2, 3)"), m);
    }

    @Test
    void nullIsRefused() {
        String m = violation(t -> null);
        assertTrue(m.contains("returned null"), m);
    }

    @Test
    void aTrustedSolverOptsOutOfTheCheck() {
        MapSolver trusted = MapSolvers.checked(
                solver(t -> times(argmax(t), 0.5f)),
                SOURCE,
                MapSolvers.Guard.defaults().trusted());
        assertArrayEquals(
                new float[] {0, 0, 0.5f, 0, 0.5f, 0}, trusted.solve(theta).toFloatArray(), 0f);
    }

    @Test
    void aCallPastItsTimeLimitFailsNamingTheSolverAndTheCallerIsFree() {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        MapSolver hanging = solver(t -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return null;
        });
        MapSolver checked =
                MapSolvers.checked(hanging, SOURCE, MapSolvers.Guard.defaults().withTimeout(Duration.ofMillis(200)));
        SolverDeadlineException e = assertThrows(SolverDeadlineException.class, () -> checked.solve(theta));
        assertEquals(
                "solver 'faulty' from " + SOURCE + " did not return within its time limit of 200 ms (input shape"
                        + " (2, 3)); the call was interrupted. Raise the limit if the solver is merely slow",
                e.getMessage());
        assertEquals(Duration.ofMillis(200), e.limit());
        assertTimely(interrupted);
    }

    private static void assertTimely(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "the worker was not interrupted");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSolversOwnExceptionPassesThroughAsItIs() {
        IllegalArgumentException thrown = new IllegalArgumentException("k (12) must be at most 3");
        MapSolver checked = MapSolvers.checked(
                solver(t -> {
                    throw thrown;
                }),
                SOURCE,
                MapSolvers.Guard.defaults());
        assertSame(thrown, assertThrows(IllegalArgumentException.class, () -> checked.solve(theta)));
    }

    @Test
    void createResolvesThroughTheRegistryAndWrapsWithTheSource() {
        MapSolverProvider provider = new MapSolverProvider() {
            @Override
            public MapSolver create(Config config) {
                return solver(t -> times(argmax(t), 2f));
            }

            @Override
            public String name() {
                return "faulty";
            }

            @Override
            public String description() {
                return "returns twos";
            }
        };
        ProviderRegistry<MapSolverProvider> registry = ProviderRegistry.builder("map solver", MapSolverProvider.class)
                .add(provider, "evil@6.6.6")
                .build();
        MapSolver checked = MapSolvers.create(registry, "evil:faulty", Config.empty(), MapSolvers.Guard.defaults());
        InvalidSolverOutputException e = assertThrows(InvalidSolverOutputException.class, () -> checked.solve(theta));
        assertTrue(e.getMessage().startsWith("solver 'faulty' from evil@6.6.6 returned 2 of 6 values"), e.getMessage());
    }

    /** {@code a * c} with a scalar the engine owns (DJL's {@code mul(Number)} is refused by the build). */
    @Test
    void theWrapperReportsTheSolversSense() {
        MapSolver minimising = new MapSolver() {
            @Override
            public NDArray solve(NDArray t) {
                return argmax(t.neg());
            }

            @Override
            public Sense sense() {
                return Sense.MINIMISE;
            }

            @Override
            public String name() {
                return "argmin";
            }
        };
        assertEquals(
                MapSolver.Sense.MINIMISE,
                MapSolvers.checked(minimising, SOURCE, MapSolvers.Guard.defaults())
                        .sense());
    }

    @Test
    void theWrapperReportsWhatTheSolverDeclares() {
        MapSolver declaring = new MapSolver() {
            @Override
            public NDArray solve(NDArray t) {
                return argmax(t);
            }

            @Override
            public String name() {
                return "declaring";
            }

            @Override
            public java.util.Optional<Shape> exampleInstanceShape() {
                return java.util.Optional.of(new Shape(2, 3));
            }

            @Override
            public ScoreDomain scoreDomain() {
                return ScoreDomain.NON_NEGATIVE;
            }

            @Override
            public Unit naturalUnit() {
                return Unit.INSTANCE;
            }
        };
        MapSolver checked = MapSolvers.checked(declaring, SOURCE, MapSolvers.Guard.defaults());
        assertEquals(new Shape(2, 3), checked.exampleInstanceShape().orElseThrow());
        assertEquals(ScoreDomain.NON_NEGATIVE, checked.scoreDomain());
        assertEquals(MapSolver.Unit.INSTANCE, checked.naturalUnit());
        MapSolver plain = MapSolvers.checked(solver(MapSolversTest::argmax), SOURCE, MapSolvers.Guard.defaults());
        assertTrue(plain.exampleInstanceShape().isEmpty());
        assertEquals(ScoreDomain.REAL, plain.scoreDomain());
        assertEquals(MapSolver.Unit.ROW, plain.naturalUnit());
    }

    @Test
    void solveOnHostIsCheckedAndPassesACorrectAnswer() {
        MapSolver checked = MapSolvers.checked(solver(MapSolversTest::argmax), SOURCE, MapSolvers.Guard.defaults());
        float[] z = checked.solveOnHost(theta.toFloatArray(), theta.getShape(), manager);
        assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0}, z, 0f);
    }

    /** A solver whose host answer is whatever {@code body} makes of theta's values. */
    private static MapSolver hostSolver(Function<float[], float[]> body) {
        return new MapSolver() {
            @Override
            public NDArray solve(NDArray t) {
                throw new AssertionError("only solveOnHost is called");
            }

            @Override
            public float[] solveOnHost(float[] t, Shape shape, NDManager scratch) {
                return body.apply(t);
            }

            @Override
            public String name() {
                return "faulty";
            }
        };
    }

    private String hostViolation(Function<float[], float[]> body) {
        MapSolver checked = MapSolvers.checked(hostSolver(body), SOURCE, MapSolvers.Guard.defaults());
        InvalidSolverOutputException e = assertThrows(
                InvalidSolverOutputException.class,
                () -> checked.solveOnHost(theta.toFloatArray(), theta.getShape(), manager));
        assertTrue(e.getMessage().startsWith("solver 'faulty' from " + SOURCE + " returned"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void solveOnHostAnswersThatBreakTheContractAreRefused() {
        String nonBinary = hostViolation(t -> new float[] {0, 0, 1, 0, 0.5f, 0});
        assertTrue(
                nonBinary.contains("returned 1 of 6 values that are not exactly 0 or 1, the first 0.5 at flat index 4"
                        + " of shape (2, 3); a MAP state is binary"),
                nonBinary);
        String nan = hostViolation(t -> new float[] {0, 2, 1, Float.NaN, 1, 0});
        assertTrue(
                nan.contains("returned 2 of 6 values that are not exactly 0 or 1, the first 2.0 at flat index 1"), nan);
        String length = hostViolation(t -> new float[] {0, 1, 0});
        assertTrue(length.contains("returned 3 values for input shape (2, 3) (6 values)"), length);
        assertTrue(hostViolation(t -> t).contains("its input array"));
        assertTrue(hostViolation(t -> null).contains("null"));
    }

    @Test
    void solveOnHostIsBoundedByTheTimeLimit() {
        CountDownLatch release = new CountDownLatch(1);
        MapSolver slow = hostSolver(t -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[t.length];
        });
        MapSolver checked =
                MapSolvers.checked(slow, SOURCE, MapSolvers.Guard.defaults().withTimeout(Duration.ofMillis(200)));
        SolverDeadlineException e = assertThrows(
                SolverDeadlineException.class,
                () -> checked.solveOnHost(theta.toFloatArray(), theta.getShape(), manager));
        assertTrue(e.getMessage().contains("(input shape (2, 3))"), e.getMessage());
        release.countDown();
    }

    private static NDArray times(NDArray a, float c) {
        return a.mul(a.getManager().full(new Shape(), c));
    }
}
