package dev.aimle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.NamedProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

    record Named(String name) implements NamedProvider {
        @Override
        public String description() {
            return "test provider " + name;
        }
    }

    @Test
    void ordersByNameWhateverTheInsertionOrder() {
        ProviderRegistry<Named> r = ProviderRegistry.builder("thing", Named.class)
                .add(new Named("zeta"), "plugin-a@1.0")
                .addAll(List.of(new Named("beta"), new Named("alpha")), ProviderRegistry.CLASSPATH)
                .build();
        assertEquals(List.of("alpha", "beta", "zeta"), r.names());
        assertEquals("plugin-a@1.0", r.entries().get(2).source());
        assertEquals("plugin-a:zeta", r.entries().get(2).qualifiedName());
        assertEquals("beta", r.get("beta").name());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        ProviderRegistry<Named> r = ProviderRegistry.builder("map solver", Named.class)
                .add(new Named("topk"), "classpath")
                .add(new Named("spanning-tree"), "classpath")
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.get("kruskal"));
        assertTrue(
                e.getMessage().startsWith("unknown map solver 'kruskal'; known: spanning-tree, topk."), e.getMessage());
    }

    @Test
    void anAmbiguousNameIsRefusedNamingBothSourcesAndAQualifiedNamePicksOne() {
        Named builtIn = new Named("topk");
        Named impostor = new Named("topk");
        ProviderRegistry<Named> r = ProviderRegistry.builder("map solver", Named.class)
                .add(impostor, "evil@6.6.6")
                .add(builtIn, "aimle-topk@0.1.0")
                .add(new Named("ilp"), "aimle-ilp@0.1.0")
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.get("topk"));
        assertEquals(
                "map solver 'topk' is ambiguous: it is provided by aimle-topk@0.1.0 and by evil@6.6.6;"
                        + " choose one with aimle-topk:topk or evil:topk",
                e.getMessage());
        assertTrue(r.get("aimle-topk:topk") == builtIn);
        assertTrue(r.get("evil:topk") == impostor);
        assertEquals("ilp", r.get("ilp").name(), "an unambiguous name still resolves");
        assertTrue(r.contains("topk") && r.contains("evil:topk") && !r.contains("evil:ilp"));
        assertEquals(List.of("ilp", "topk"), r.names());
    }

    @Test
    void qualifiedNamesNameTheUnknownOriginOrTheOriginsProviders() {
        ProviderRegistry<Named> r = ProviderRegistry.builder("map solver", Named.class)
                .add(new Named("topk"), ProviderRegistry.CLASSPATH)
                .build();
        assertEquals("topk", r.get("classpath:topk").name());
        IllegalArgumentException origin = assertThrows(IllegalArgumentException.class, () -> r.get("nowhere:topk"));
        assertTrue(
                origin.getMessage().contains("unknown origin 'nowhere'")
                        && origin.getMessage().contains("classpath"),
                origin.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> r.get("classpath:ilp"));
        assertEquals("unknown map solver 'classpath:ilp'; classpath provides topk", name.getMessage());
    }

    @Test
    void providersAreCreatedOnlyWhenNeededAndAQualifiedNameCreatesOnlyItsOrigin() {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        ProviderRegistry<Named> r = ProviderRegistry.builder("thing", Named.class)
                .addLazy("a@1", "A", () -> {
                    a.incrementAndGet();
                    return new Named("x");
                })
                .addLazy("b@1", "B", () -> {
                    b.incrementAndGet();
                    return new Named("y");
                })
                .build();
        assertEquals(List.of("a", "b"), r.origins());
        assertEquals(0, a.get() + b.get(), "building creates nothing");
        assertEquals("x", r.get("a:x").name());
        assertEquals(List.of(1, 0), List.of(a.get(), b.get()));
        assertEquals(List.of("x", "y"), r.names());
        assertEquals(List.of(1, 1), List.of(a.get(), b.get()), "each provider is created once");
    }

    @Test
    void badProvidersAreReportedAndSkippedWithoutTouchingTheOthers() {
        CountDownLatch never = new CountDownLatch(1);
        List<ProviderProblem> heard = new ArrayList<>();
        ProviderRegistry<Named> r = ProviderRegistry.builder("map solver", Named.class)
                .creationTimeout(Duration.ofSeconds(2)) // good providers need far less, even on a loaded machine
                .onProblem(heard::add)
                .add(new Named("good"), "good@1")
                .add(new Named(null), "null-name@1")
                .add(new Named("  "), "blank@1")
                .add(new Named("two words"), "spaces@1")
                .add(new Named("evil:topk"), "colon@1")
                .addLazy("throws@1", "com.example.Throws", () -> {
                    throw new IllegalStateException("constructor refuses");
                })
                .addLazy("hangs@1", "com.example.Hangs", () -> {
                    while (true) {
                        try {
                            never.await();
                        } catch (InterruptedException ignored) {
                            // a provider that ignores interrupts: its thread stays, the registry goes on
                        }
                    }
                })
                .build();
        assertEquals(List.of("good"), r.names());
        assertEquals(heard, r.problems());
        assertEquals(6, heard.size(), heard.toString());
        String all = heard.stream().map(ProviderProblem::message).reduce("", (x, y) -> x + "\n" + y);
        assertTrue(all.contains("(null-name@1): name() returned null"), all);
        assertTrue(all.contains("(blank@1): name() returned '  ', not a valid map solver name"), all);
        assertTrue(all.contains("(spaces@1): name() returned 'two words'"), all);
        assertTrue(all.contains("(colon@1): name() returned 'evil:topk'"), all);
        assertTrue(
                all.contains("com.example.Throws (throws@1): java.lang.IllegalStateException: constructor refuses"),
                all);
        assertTrue(all.contains("com.example.Hangs (hangs@1): was not created within 2 s"), all);
    }

    @Test
    void sourcesCannotContainTheQualifierSeparator() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ProviderRegistry.builder("thing", Named.class).add(new Named("x"), "a:b"));
        assertTrue(e.getMessage().contains("'a:b'"), e.getMessage());
    }

    @Test
    void emptyClasspathDiscoveryIsEmptyNotAnError() {
        ProviderRegistry<GradientEstimatorProvider> r = ProviderRegistry.fromClasspath(
                "gradient estimator",
                GradientEstimatorProvider.class,
                getClass().getClassLoader());
        assertEquals(List.of(), r.names());
        assertEquals(List.of(), r.problems());
    }

    /** The hint of an unknown name fits both ways of providing one: the plugins directory and the class path. */
    @Test
    void anUnknownNameHintsAtThePluginsDirectoryAndTheClassPath() {
        ProviderRegistry<MapSolverProvider> registry = ProviderRegistry.fromClasspath(
                "map solver", MapSolverProvider.class, getClass().getClassLoader());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> registry.entry("no-such-solver"));
        assertTrue(
                e.getMessage().startsWith("unknown map solver 'no-such-solver'; known: ")
                        && e.getMessage().contains("not in the plugins directory")
                        && e.getMessage()
                                .contains("its jar is missing there or does not list the provider in"
                                        + " META-INF/services"),
                e.getMessage());
    }
}
