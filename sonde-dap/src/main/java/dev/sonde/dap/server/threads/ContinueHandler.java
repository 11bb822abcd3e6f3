package dev.sonde.dap.server.threads;

import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.ContinueResponse;

import java.util.concurrent.CompletableFuture;

/** {@code continue}: resumes every thread (Sonde stops hold them all); the thread it names must be one the client was told of. */
public final class ContinueHandler implements RequestHandler<ContinueArguments> {

    @Override
    public Class<ContinueArguments> argumentsType() {
        return ContinueArguments.class;
    }

    @Override
    public boolean argumentsOptional() {
        return true;
    }

    @Override
    public CompletableFuture<ContinueResponse> handle(String command, ContinueArguments arguments, DebugContext context) {
        if (arguments != null) {
            // An unknown thread is an error, not a reason to resume all of them.
            context.threads().get(arguments.getThreadId());
        }
        return context.session().async().resume().thenApply(done -> {
            ContinueResponse response = new ContinueResponse();
            response.setAllThreadsContinued(true);
            return response;
        });
    }
}
