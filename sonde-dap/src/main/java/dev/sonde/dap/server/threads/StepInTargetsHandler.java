package dev.sonde.dap.server.threads;

import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.StepInTarget;
import org.eclipse.lsp4j.debug.StepInTargetsArguments;
import org.eclipse.lsp4j.debug.StepInTargetsResponse;

import java.util.concurrent.CompletableFuture;

/**
 * {@code stepInTargets}: every call on a frame's current line, lambda bodies included, in the order they run; a
 * {@code stepIn} with one's id runs until that method is entered.
 */
public final class StepInTargetsHandler implements RequestHandler<StepInTargetsArguments> {

    @Override
    public Class<StepInTargetsArguments> argumentsType() {
        return StepInTargetsArguments.class;
    }

    @Override
    public CompletableFuture<StepInTargetsResponse> handle(String command, StepInTargetsArguments arguments, DebugContext context) {
        FrameRef frame = context.frames().get(arguments.getFrameId());
        return context.session().async().stepInTargets(frame.threadId(), frame.index()).thenApply(targets -> {
            StepInTargetsResponse response = new StepInTargetsResponse();
            response.setTargets(targets.stream().map(target -> {
                StepInTarget dap = new StepInTarget();
                dap.setId(context.stepTargets().idOf(target));
                dap.setLabel(target.label());
                return dap;
            }).toArray(StepInTarget[]::new));
            return response;
        });
    }
}
