package dev.sonde.dap.client;

import dev.sonde.core.event.Event;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.fail;

/** Records a session's events, for asserting on what happened and in which order. */
final class Recorder implements Consumer<Event> {

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void accept(Event event) {
        events.add(event);
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    <T extends Event> List<T> all(Class<T> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Waits until an event of {@code kind} matching {@code test} has been recorded, and returns it. */
    <T extends Event> T await(Class<T> kind, Predicate<T> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Event event : events) {
                if (kind.isInstance(event) && test.test(kind.cast(event))) {
                    return kind.cast(event);
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail("No " + kind.getSimpleName() + " as wanted within " + timeout + "; events: " + events);
    }
}
