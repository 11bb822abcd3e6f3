package dev.sonde.dap.server.launch;

import com.google.gson.JsonObject;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.dap.server.Debuggee;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.access.LaunchToken;
import dev.sonde.dap.server.sources.SourceRoots;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code attach}: connects to a JVM whose debug agent listens on {@code hostName:port}, retrying while nothing
 * listens yet; the {@code initialized} event follows the response.
 */
public final class AttachHandler implements RequestHandler<JsonObject> {

    /** Time for the handshake after the agent answers, on top of the time allowed for it to come up. */
    private static final Duration HANDSHAKE = Duration.ofSeconds(5);

    @Override
    public Class<JsonObject> argumentsType() {
        return JsonObject.class;
    }

    @Override
    public boolean boundsItsOwnTime() {
        return true;
    }

    @Override
    public CompletableFuture<Void> handle(String command, JsonObject json, DebugContext context) {
        LaunchToken.require(context.options().launchToken(), command, json);
        context.requireNoDebuggee();
        AttachArguments arguments = AttachArguments.read(command, json);
        Duration timeout = arguments.timeout() != null ? arguments.timeout() : context.options().attachTimeout();
        context.sources(new SourceRoots(arguments.sourcePaths()));
        Session session = Session.open("attach " + arguments.address(), context.targets().attach(arguments.address(), timeout),
                context.sessionOptions(SessionOptions.CloseAction.DETACH), List.of(context.events()));
        return Connecting.initializeWhenConnected(new Debuggee(session, false, false), arguments.classPaths(), timeout.plus(HANDSHAKE),
                "check that the JVM at " + arguments.address()
                        + " runs with -agentlib:jdwp=transport=dt_socket,server=y and that no other debugger is attached", command, context);
    }
}
