package dev.sonde.dap.server.breakpoints;

import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.Require;
import dev.sonde.dap.server.variables.Container;
import org.eclipse.lsp4j.debug.DataBreakpointAccessType;
import org.eclipse.lsp4j.debug.DataBreakpointInfoArguments;
import org.eclipse.lsp4j.debug.DataBreakpointInfoResponse;

import java.util.concurrent.CompletableFuture;

/**
 * {@code dataBreakpointInfo}: whether a variable can be watched. Fields can (of an object, or the statics of a frame's
 * class), read, written or both, through the JVM's watchpoints; their data id is {@code pkg.Class#field}. Locals and
 * elements cannot: the JVM watches fields only.
 */
public final class DataBreakpointInfoHandler implements RequestHandler<DataBreakpointInfoArguments> {

    @Override
    public Class<DataBreakpointInfoArguments> argumentsType() {
        return DataBreakpointInfoArguments.class;
    }

    @Override
    public CompletableFuture<DataBreakpointInfoResponse> handle(String command, DataBreakpointInfoArguments arguments, DebugContext context) {
        String name = Require.present(arguments.getName(), command, "name").strip();
        if (arguments.getVariablesReference() == null) {
            return CompletableFuture.completedFuture(refused("Only fields can be watched; open the object that holds " + name
                    + " and set the data breakpoint on its field."));
        }
        Container container = context.variables().get(arguments.getVariablesReference());
        return switch (container) {
            case Container.Children children when children.shape() == Container.Shape.OBJECT && !name.endsWith("()") ->
                    CompletableFuture.completedFuture(watchable(children.type(), name));
            case Container.Statics statics -> context.stopReads().frames(context.session(), statics.frame().threadId())
                    .thenApply(frames -> watchable(frames.get(statics.frame().index()).location().className(), name));
            default -> CompletableFuture.completedFuture(refused(name + " is not a field; the JVM watches fields only, so watch a field of"
                    + " an object or a static field instead."));
        };
    }

    private static DataBreakpointInfoResponse watchable(String className, String field) {
        DataBreakpointInfoResponse response = new DataBreakpointInfoResponse();
        response.setDataId(DataIds.of(className, field));
        response.setDescription(field + " of " + className);
        response.setAccessTypes(new DataBreakpointAccessType[] {
                DataBreakpointAccessType.READ, DataBreakpointAccessType.WRITE, DataBreakpointAccessType.READ_WRITE});
        response.setCanPersist(true);
        return response;
    }

    private static DataBreakpointInfoResponse refused(String why) {
        DataBreakpointInfoResponse response = new DataBreakpointInfoResponse();
        response.setDescription(why);
        return response;
    }
}
