package dev.sonde.dap.server.launch;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.session.Session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a session to end after asking it to (terminate or detach). A target that exits on its own meanwhile
 * makes the request fail, yet the session ends all the same: what counts is that it ended.
 */
final class Ending {

    private Ending() {
    }

    static CompletableFuture<Void> awaitEnd(Session session, CompletableFuture<Void> asked, Duration limit) {
        return asked.handle((done, failure) -> failure).thenCompose(failure -> session.terminated()
                .orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ended, late) -> {
                    if (late == null) {
                        return null;
                    }
                    throw failure != null ? SondeException.from(failure) : SondeException.timeout("The target did not end within "
                            + limit.toSeconds() + " s; it may be hung, so end its process by other means.");
                }));
    }
}
