package dev.sonde.core.backend;

import dev.sonde.core.event.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A backend's outgoing events: those that come before the session starts listening (a launched target's first
 * output, a late refusal to attach) are kept and passed on first, in order, when it does.
 */
public final class HeldEvents {

    private final List<Event> beforeStart = new ArrayList<>();
    private Consumer<Event> sink;

    /** Passes the events kept so far to {@code sink}, then every later one as it comes. */
    public void start(Consumer<Event> sink) {
        synchronized (beforeStart) {
            this.sink = sink;
            beforeStart.forEach(sink);
            beforeStart.clear();
        }
    }

    public void emit(Event event) {
        Consumer<Event> target;
        synchronized (beforeStart) {
            target = sink;
            if (target == null) {
                beforeStart.add(event);
                return;
            }
        }
        target.accept(event);
    }
}
