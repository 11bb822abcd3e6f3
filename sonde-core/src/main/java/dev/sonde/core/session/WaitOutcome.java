package dev.sonde.core.session;

import dev.sonde.core.event.Event;

import java.time.Duration;

/** What {@link Session#awaitStop(Duration)} found. */
public sealed interface WaitOutcome {

    /** The target is stopped (now, or already was when the wait began). */
    record Stopped(Event.Stopped event) implements WaitOutcome {
    }

    /** The session ended. */
    record Terminated(Event.Terminated event) implements WaitOutcome {
    }

    /** Nothing stopped within the time allowed. */
    record TimedOut(Duration waited) implements WaitOutcome {
    }
}
