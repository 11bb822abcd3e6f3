package dev.sonde.dap.server.threads;

import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.ContinueResponse;

import java.util.concurrent.CompletableFuture;

/** {@code continue}: resumes every thread (Sonde stops hold them all). */
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
        return context.session().async().resume().thenApply(done -> {
            ContinueResponse response = new ContinueResponse();
            response.setAllThreadsContinued(true);
            return response;
        });
    }
}
