package dev.aimle.app.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The load problems of one discovery, in the order met. Providers are created lazily, so problems
 * keep arriving after loading; a listener hears each one when it happens. Thread-safe.
 */
final class Problems {
    private final List<LoadProblem> all = new ArrayList<>();
    private Consumer<LoadProblem> listener = p -> {};

    synchronized void add(LoadProblem problem) {
        all.add(Objects.requireNonNull(problem, "problem"));
        listener.accept(problem);
    }

    synchronized void addAll(List<LoadProblem> problems) {
        problems.forEach(this::add);
    }

    synchronized List<LoadProblem> snapshot() {
        return List.copyOf(all);
    }

    /** Replays the problems so far to {@code l}, then forwards every new one to it. */
    synchronized void listen(Consumer<LoadProblem> l) {
        Objects.requireNonNull(l, "listener");
        all.forEach(l);
        listener = l;
    }
}
