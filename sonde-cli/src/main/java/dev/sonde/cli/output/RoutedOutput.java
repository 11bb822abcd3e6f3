package dev.sonde.cli.output;

import dev.sonde.cli.console.Outcome;
import dev.sonde.core.event.Event;

/**
 * An output that can be pointed elsewhere while in use: a session's events go to plain standard output
 * until an interactive console starts, then above its prompt. One subscription, so no event is lost or
 * shown twice in the switch.
 */
public final class RoutedOutput implements Output {

    private volatile Output target;

    public RoutedOutput(Output target) {
        this.target = target;
    }

    /** Sends everything from now on to {@code next}; returns the previous target. */
    public Output route(Output next) {
        Output previous = target;
        target = next;
        return previous;
    }

    @Override
    public void outcome(Outcome outcome) {
        target.outcome(outcome);
    }

    @Override
    public void event(Event event) {
        target.event(event);
    }

    @Override
    public void note(String text) {
        target.note(text);
    }
}
