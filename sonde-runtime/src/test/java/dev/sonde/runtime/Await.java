package dev.sonde.runtime;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something that happens on another thread, failing the test past a deadline. */
public final class Await {

    private Await() {
    }

    /** Polls every 10 ms; with {@code collectGarbage} a GC is requested at each poll. */
    public static void until(Duration limit, boolean collectGarbage, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + limit.toMillis() + " ms waiting for " + what);
            }
            if (collectGarbage) {
                System.gc();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }

    public static void until(Duration limit, String what, BooleanSupplier condition) {
        until(limit, false, what, condition);
    }
}
