package dev.sonde.core.backend;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** What every {@link Connector} does around its own work. */
public final class Connectors {

    private Connectors() {
    }

    /**
     * Runs a connection's blocking work on a thread of its own, so that {@link Connector#connect()} returns at once;
     * a failure completes the future with {@code translate}'s one-sentence error.
     */
    public static CompletableFuture<Backend> async(String what, Supplier<Backend> work, Function<Throwable, ? extends Throwable> translate) {
        CompletableFuture<Backend> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("sonde-connect-" + what).start(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(translate.apply(t));
            }
        });
        return result;
    }
}
