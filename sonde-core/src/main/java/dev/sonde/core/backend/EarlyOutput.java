package dev.sonde.core.backend;

import dev.sonde.core.event.OutputCategory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A launched target's output from before its backend exists (a JVM's warnings, a script's first prints): held
 * in order with its category, then handed to the backend, after which output goes straight to it.
 */
public final class EarlyOutput implements BiConsumer<OutputCategory, String> {

    private final List<Map.Entry<OutputCategory, String>> held = new ArrayList<>();
    private BiConsumer<OutputCategory, String> backend;

    @Override
    public void accept(OutputCategory category, String text) {
        BiConsumer<OutputCategory, String> ready;
        synchronized (held) {
            ready = backend;
            if (ready == null) {
                held.add(Map.entry(category, text));
                return;
            }
        }
        ready.accept(category, text);
    }

    /** Hands what was held to {@code output}, in order, and sends everything after it there too. */
    public void deliverTo(BiConsumer<OutputCategory, String> output) {
        synchronized (held) {
            held.forEach(chunk -> output.accept(chunk.getKey(), chunk.getValue()));
            held.clear();
            backend = output;
        }
    }
}
