package dev.sonde.dap.server.launch;

import com.google.gson.JsonObject;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.dap.server.Debuggee;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.access.LaunchToken;
import dev.sonde.dap.server.sources.SourceRoots;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code launch}: starts the program held before {@code main} and connects to it; the {@code initialized} event
 * follows the response, so the client sets its breakpoints before configurationDone lets the program run.
 */
public final class LaunchHandler implements RequestHandler<JsonObject> {

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
        LaunchArguments arguments = LaunchArguments.read(command, json);
        ProgramCheck.check(arguments, System.getenv());
        context.sources(new SourceRoots(arguments.sourcePaths()));
        Session session = Session.open(arguments.mainClass(), context.targets().launch(arguments.spec()),
                context.sessionOptions(SessionOptions.CloseAction.TERMINATE), List.of(context.events()));
        return Connecting.initializeWhenConnected(new Debuggee(session, true, arguments.stopOnEntry()),
                arguments.classPaths().stream().map(Path::of).toList(), context.options().launchTimeout(),
                "check the launch configuration, and that the java executable starts", command, context);
    }
}
