package dev.sonde.dap.server.variables;

import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.core.event.Event;
import dev.sonde.core.model.RuntimeContext;
import dev.sonde.dap.server.events.OperationTexts;
import dev.sonde.dap.server.threads.FrameRef;
import org.eclipse.lsp4j.debug.Scope;
import org.eclipse.lsp4j.debug.ScopePresentationHint;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.ScopesResponse;

import java.util.concurrent.CompletableFuture;

/**
 * {@code scopes}: a frame's Locals ({@code this}, the arguments and the locals) and, on a JVM, its Statics (the static
 * fields of the class whose code it runs), read when the client opens them. On the stopped thread, inside a sonde-runtime
 * operation, a first scope without variables names the operation and the scopes open, as a header.
 */
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
        boolean jvm = context.session().target().map(target -> target.kind().equals("jvm")).orElse(false);
        if (!jvm) {
            response.setScopes(new Scope[] {locals});
            return CompletableFuture.completedFuture(response);
        }
        Scope statics = new Scope();
        statics.setName("Statics");
        statics.setVariablesReference(context.variables().idOf(new Container.Statics(frame)));
        statics.setExpensive(false);
        RuntimeContext runtime = context.session().currentStop().filter(stop -> stop.thread() != null && stop.thread().id() == frame.threadId())
                .map(Event.Stopped::runtime).orElse(RuntimeContext.NONE);
        if (runtime.isEmpty()) {
            response.setScopes(new Scope[] {locals, statics});
        } else {
            Scope operation = new Scope();
            operation.setName(OperationTexts.label(runtime));
            operation.setVariablesReference(0);
            operation.setExpensive(false);
            response.setScopes(new Scope[] {operation, locals, statics});
        }
        return CompletableFuture.completedFuture(response);
    }
}
