package dev.sonde.dap.server.threads;

import dev.sonde.core.model.ThreadInfo;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.Thread;
import org.eclipse.lsp4j.debug.ThreadsResponse;

import java.util.concurrent.CompletableFuture;

/** {@code threads}: every live thread of the target, platform and virtual. */
public final class ThreadsHandler implements RequestHandler<Object> {

    @Override
    public Class<Object> argumentsType() {
        return Object.class;
    }

    @Override
    public boolean argumentsOptional() {
        return true;
    }

    @Override
    public CompletableFuture<ThreadsResponse> handle(String command, Object arguments, DebugContext context) {
        return context.session().async().threads().thenApply(threads -> {
            ThreadsResponse response = new ThreadsResponse();
            response.setThreads(threads.stream().map(info -> thread(info, context)).toArray(Thread[]::new));
            return response;
        });
    }

    private static Thread thread(ThreadInfo info, DebugContext context) {
        Thread thread = new Thread();
        thread.setId(context.threads().idOf(info.id()));
        thread.setName(info.virtual() && !info.displayName().startsWith("virtual#") ? info.displayName() + " (virtual)" : info.displayName());
        return thread;
    }
}
