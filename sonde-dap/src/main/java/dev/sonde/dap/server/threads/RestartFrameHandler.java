package dev.sonde.dap.server.threads;

import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.RestartFrameArguments;

import java.util.concurrent.CompletableFuture;

/**
 * {@code restartFrame}: drops back to the start of a frame and runs its method again (in its newest code, after a hot
 * code replace); a {@code stopped} event with reason {@code restart} follows... as a step, where the method starts.
 */
public final class RestartFrameHandler implements RequestHandler<RestartFrameArguments> {

    @Override
    public Class<RestartFrameArguments> argumentsType() {
        return RestartFrameArguments.class;
    }

    @Override
    public CompletableFuture<Void> handle(String command, RestartFrameArguments arguments, DebugContext context) {
        FrameRef frame = context.frames().get(arguments.getFrameId());
        return context.session().async().restartFrame(frame.threadId(), frame.index());
    }
}
