package dev.sonde.dap.server.launch;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.session.Session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a new session to connect, within a time limit; a session that does not make it is closed. */
final class Connecting {

    private Connecting() {
    }

    static CompletableFuture<Session> connected(Session session, Duration limit, String whatToCheck) {
        return session.connected().orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS).handle((connected, failure) -> {
            if (failure == null) {
                return connected;
            }
            session.close();
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                throw SondeException.timeout("Could not connect within " + limit.toSeconds() + " s; " + whatToCheck + ".");
            }
            throw SondeException.from(cause);
        });
    }
}
