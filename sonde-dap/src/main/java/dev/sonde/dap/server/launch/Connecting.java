package dev.sonde.dap.server.launch;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.session.Session;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.Debuggee;
import dev.sonde.dap.server.hotswap.HotCodeReplaceSetup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a new session of launch or attach to connect, within a time limit; a session that does not make it is closed. */
final class Connecting {

    private Connecting() {
    }

    /**
     * What launch and attach do once their session is open: make it the context's debuggee, watch its class paths for
     * hot code replace, and once it connects within {@code limit}, send {@code initialized} after the response to
     * {@code command}; a debuggee that does not connect is marked unreachable.
     */
    static CompletableFuture<Void> initializeWhenConnected(Debuggee debuggee, List<Path> classPaths, Duration limit, String whatToCheck,
                                                           String command, DebugContext context) {
        context.debuggee(debuggee);
        HotCodeReplaceSetup.watch(classPaths, debuggee.session(), context);
        return connected(debuggee.session(), limit, whatToCheck)
                .whenComplete((connected, failure) -> {
                    if (failure != null) {
                        context.unreachable(debuggee);
                    }
                })
                .thenRun(() -> context.afterResponse(command, () -> context.client().initialized()));
    }

    private static CompletableFuture<Session> connected(Session session, Duration limit, String whatToCheck) {
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
