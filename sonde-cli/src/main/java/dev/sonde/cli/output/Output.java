package dev.sonde.cli.output;

import dev.sonde.cli.console.Outcome;
import dev.sonde.core.event.Event;

/** Where a console's results and a session's events are shown: a terminal, or JSON lines. Thread-safe. */
public interface Output {

    void outcome(Outcome outcome);

    void event(Event event);

    /** Narration for people (ignored by machine-readable output). */
    void note(String text);
}
