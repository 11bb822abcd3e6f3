package dev.sonde.dap.server.launch;

import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionState;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;

import java.util.concurrent.CompletableFuture;

/** {@code terminate}: ends the target and answers once it has ended; the {@code exited} and {@code terminated} events come with it. */
public final class TerminateHandler implements RequestHandler<Object> {

    @Override
    public Class<Object> argumentsType() {
        return Object.class;
    }

    @Override
    public boolean argumentsOptional() {
        return true;
    }

    @Override
    public boolean boundsItsOwnTime() {
        return true;
    }

    @Override
    public CompletableFuture<Void> handle(String command, Object arguments, DebugContext context) {
        Session session = context.session();
        if (session.state() == SessionState.TERMINATED) {
            return CompletableFuture.completedFuture(null);
        }
        return Ending.awaitEnd(session, session.async().terminate(), context.options().requestTimeout());
    }
}
