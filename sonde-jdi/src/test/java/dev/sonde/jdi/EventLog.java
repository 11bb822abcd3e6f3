package dev.sonde.jdi;

import dev.sonde.core.event.Event;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.fail;

/** Records a session's events in the order they are delivered, and waits for particular ones. */
final class EventLog implements Consumer<Event>, AutoCloseable {

    private final List<Event> events = new ArrayList<>();
    private Subscription subscription;

    static EventLog of(Session session) {
        EventLog log = new EventLog();
        log.subscription = session.subscribe(log);
        return log;
    }

    @Override
    public synchronized void accept(Event event) {
        events.add(event);
        notifyAll();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized void clear() {
        events.clear();
    }

    /** Events of a kind, in order. */
    synchronized <T extends Event> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Events other than output and thread start/exit (which arrive at times of the target's choosing). */
    synchronized List<Event> control() {
        return events.stream().filter(e -> !(e instanceof Event.Output || e instanceof Event.ThreadStarted
                || e instanceof Event.ThreadExited)).toList();
    }

    /** Waits for the first recorded event of a kind that matches. */
    synchronized <T extends Event> T await(Class<T> type, Predicate<T> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Event event : events) {
                if (type.isInstance(event) && matching.test(type.cast(event))) {
                    return type.cast(event);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return fail("no " + type.getSimpleName() + " event matched within " + timeout + "; saw " + events);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail("interrupted");
            }
        }
    }

    /**
     * Waits until {@code count} events of a kind have been delivered. The session's state changes before
     * subscribers see the event that changed it, so after awaitStop the Stopped may still be on its way here.
     */
    <T extends Event> List<T> awaitCount(Class<T> type, int count, Duration timeout) {
        await(type, e -> all(type).size() >= count, timeout);
        return all(type);
    }

    /** Waits until the standard output seen so far contains {@code text}. */
    void awaitOutput(String text, Duration timeout) {
        await(Event.Output.class, o -> stdout().contains(text), timeout);
    }

    synchronized String stdout() {
        StringBuilder out = new StringBuilder();
        for (Event event : events) {
            if (event instanceof Event.Output o && o.category() == dev.sonde.core.event.OutputCategory.STDOUT) {
                out.append(o.text());
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
