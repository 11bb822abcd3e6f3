package dev.sonde.dap.server.launch;

import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionState;
import dev.sonde.dap.server.Debuggee;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.DisconnectArguments;

import java.util.concurrent.CompletableFuture;

/**
 * {@code disconnect}: ends the target the adapter launched, or lets go of one it attached to (the client's
 * {@code terminateDebuggee} decides otherwise); once the response is out, an adapter on stdio may exit.
 */
public final class DisconnectHandler implements RequestHandler<DisconnectArguments> {

    @Override
    public Class<DisconnectArguments> argumentsType() {
        return DisconnectArguments.class;
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
    public CompletableFuture<Void> handle(String command, DisconnectArguments arguments, DebugContext context) {
        context.afterResponse(command, context::disconnected);
        Debuggee debuggee = context.debuggee().orElse(null);
        if (debuggee == null || debuggee.session().state() == SessionState.TERMINATED) {
            return CompletableFuture.completedFuture(null);
        }
        Session session = debuggee.session();
        boolean terminate = arguments != null && arguments.getTerminateDebuggee() != null
                ? arguments.getTerminateDebuggee() : debuggee.launched();
        return Ending.awaitEnd(session, terminate ? session.async().terminate() : session.async().detach(),
                context.options().requestTimeout());
    }
}
