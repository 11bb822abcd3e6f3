package dev.sonde.jdi;

import dev.sonde.core.event.OutputCategory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.fail;

/** Collects a debuggee's output by category, and waits for text to appear. */
final class Output implements BiConsumer<OutputCategory, String> {

    private final Map<OutputCategory, StringBuilder> text = new EnumMap<>(OutputCategory.class);

    @Override
    public synchronized void accept(OutputCategory category, String chunk) {
        text.computeIfAbsent(category, c -> new StringBuilder()).append(chunk);
        notifyAll();
    }

    synchronized String of(OutputCategory category) {
        StringBuilder seen = text.get(category);
        return seen == null ? "" : seen.toString();
    }

    /** Waits until the category's output contains {@code wanted}; returns all of it. */
    synchronized String await(OutputCategory category, String wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!of(category).contains(wanted)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return fail("no '" + wanted + "' in " + category + " within " + timeout + "; saw: " + of(category));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail("interrupted");
            }
        }
        return of(category);
    }

    /** Waits until the category's output grows past {@code length} characters containing {@code wanted}. */
    synchronized String awaitAfter(OutputCategory category, int length, String wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (of(category).length() <= length || !of(category).substring(length).contains(wanted)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return fail("no new '" + wanted + "' in " + category + " within " + timeout + "; saw: " + of(category));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail("interrupted");
            }
        }
        return of(category).substring(length);
    }
}
