package dev.sonde.dap.server.variables;

import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.threads.FrameRef;
import org.eclipse.lsp4j.debug.Scope;
import org.eclipse.lsp4j.debug.ScopePresentationHint;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.ScopesResponse;

import java.util.concurrent.CompletableFuture;

/** {@code scopes}: a frame's Locals ({@code this}, the arguments and the locals), read when the client opens them. */
public final class ScopesHandler implements RequestHandler<ScopesArguments> {

    @Override
    public Class<ScopesArguments> argumentsType() {
        return ScopesArguments.class;
    }

    @Override
    public CompletableFuture<ScopesResponse> handle(String command, ScopesArguments arguments, DebugContext context) {
        FrameRef frame = context.frames().get(arguments.getFrameId());
        Scope locals = new Scope();
        locals.setName("Locals");
        locals.setPresentationHint(ScopePresentationHint.LOCALS);
        locals.setVariablesReference(context.variables().idOf(new Container.Locals(frame)));
        locals.setExpensive(false);
        ScopesResponse response = new ScopesResponse();
        response.setScopes(new Scope[] {locals});
        return CompletableFuture.completedFuture(response);
    }
}
