package dev.sonde.dap.server.launch;

import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.session.Session;
import dev.sonde.dap.server.Debuggee;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;

import java.util.concurrent.CompletableFuture;

/**
 * {@code configurationDone}: the client has set its breakpoints. A target held before {@code main} runs on, or,
 * with stopOnEntry, is reported stopped there.
 */
public final class ConfigurationDoneHandler implements RequestHandler<Object> {

    @Override
    public Class<Object> argumentsType() {
        return Object.class;
    }

    @Override
    public boolean argumentsOptional() {
        return true;
    }

    @Override
    public CompletableFuture<Void> handle(String command, Object arguments, DebugContext context) {
        Session session = context.session();
        Event.Stopped entry = session.currentStop().filter(stop -> stop.reason() == StopReason.ENTRY).orElse(null);
        if (entry == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (context.debuggee().map(Debuggee::stopOnEntry).orElse(false)) {
            context.afterResponse(command, () -> context.events().reportEntry(entry));
            return CompletableFuture.completedFuture(null);
        }
        return session.async().resume();
    }
}
