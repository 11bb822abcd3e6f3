package dev.sonde.dap.server.threads;

import dev.sonde.core.backend.StepKind;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.StepInArguments;

import java.util.concurrent.CompletableFuture;

/**
 * {@code stepIn}: one step into the next call of a stopped thread, or, with a {@code targetId} from stepInTargets,
 * into that call: the thread runs until its method is entered (or the line ends without calling it).
 */
public final class StepInHandler implements RequestHandler<StepInArguments> {

    @Override
    public Class<StepInArguments> argumentsType() {
        return StepInArguments.class;
    }

    @Override
    public CompletableFuture<Void> handle(String command, StepInArguments arguments, DebugContext context) {
        long threadId = context.threads().get(arguments.getThreadId());
        if (arguments.getTargetId() == null) {
            return context.session().async().step(threadId, StepKind.INTO);
        }
        return context.session().async().stepInto(threadId, context.stepTargets().get(arguments.getTargetId()));
    }
}
