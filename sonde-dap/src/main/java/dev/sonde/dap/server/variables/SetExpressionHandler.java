package dev.sonde.dap.server.variables;

import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.Require;
import dev.sonde.dap.server.threads.FrameRef;
import org.eclipse.lsp4j.debug.SetExpressionArguments;
import org.eclipse.lsp4j.debug.SetExpressionResponse;

import java.util.concurrent.CompletableFuture;

/**
 * {@code setExpression}: assigns a value to an assignable Java expression (a watch such as {@code order.total} or
 * {@code items[2]}) through the evaluator, in the frame given or the top frame of the stop.
 */
public final class SetExpressionHandler implements RequestHandler<SetExpressionArguments> {

    @Override
    public Class<SetExpressionArguments> argumentsType() {
        return SetExpressionArguments.class;
    }

    @Override
    public CompletableFuture<SetExpressionResponse> handle(String command, SetExpressionArguments arguments, DebugContext context) {
        String expression = Require.present(arguments.getExpression(), command, "expression").strip();
        String value = Require.present(arguments.getValue(), command, "value").strip();
        FrameRef frame = arguments.getFrameId() != null ? context.frames().get(arguments.getFrameId()) : EvaluateHandler.topFrameOfStop(context);
        context.stopReads().localsChanged();
        return context.session().async().evaluate(frame.threadId(), frame.index(), DapValues.operand(expression) + " = " + value)
                .thenApply(assigned -> {
                    SetExpressionResponse response = new SetExpressionResponse();
                    response.setValue(assigned.render());
                    response.setType(assigned.type());
                    Container.Children inside = DapValues.childrenOf(assigned, frame, expression);
                    response.setVariablesReference(inside == null ? 0 : context.variables().idOf(inside));
                    return response;
                });
    }
}
