package dev.sonde.dap.server.threads;

import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.PauseArguments;

import java.util.concurrent.CompletableFuture;

/**
 * {@code pause}: suspends every thread (as Sonde's stops do); the {@code stopped} event that follows names the
 * thread the client asked about.
 */
public final class PauseHandler implements RequestHandler<PauseArguments> {

    @Override
    public Class<PauseArguments> argumentsType() {
        return PauseArguments.class;
    }

    @Override
    public CompletableFuture<Void> handle(String command, PauseArguments arguments, DebugContext context) {
        context.threads().get(arguments.getThreadId());
        context.pauseRequestedFor(arguments.getThreadId());
        return context.session().async().pause();
    }
}
