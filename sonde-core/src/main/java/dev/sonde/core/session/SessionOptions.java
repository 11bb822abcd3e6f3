package dev.sonde.core.session;

import java.time.Duration;

/**
 * How a session behaves.
 *
 * @param requestTimeout how long a blocking call waits for the target before failing with a timeout
 * @param onClose        what {@link Session#close()} does to a live target
 */
public record SessionOptions(Duration requestTimeout, CloseAction onClose) {

    public static final SessionOptions DEFAULT = new SessionOptions(Duration.ofSeconds(30), CloseAction.DETACH);

    public enum CloseAction {
        /** Let go of the target; it keeps running (for targets we attached to). */
        DETACH,
        /** End the target (for targets we launched). */
        TERMINATE
    }

    public SessionOptions withOnClose(CloseAction action) {
        return new SessionOptions(requestTimeout, action);
    }

    public SessionOptions withRequestTimeout(Duration timeout) {
        return new SessionOptions(timeout, onClose);
    }
}
