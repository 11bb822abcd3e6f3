package dev.sonde.dap.server.variables;

import dev.sonde.core.error.SondeException;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.Require;
import dev.sonde.dap.server.threads.FrameRef;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.EvaluateResponse;

import java.util.concurrent.CompletableFuture;

/**
 * {@code evaluate} (repl, watch, hover, clipboard): a Java expression in the context of a frame, by default the
 * top frame of the thread the target stopped in. The result opens like a variable.
 */
public final class EvaluateHandler implements RequestHandler<EvaluateArguments> {

    @Override
    public Class<EvaluateArguments> argumentsType() {
        return EvaluateArguments.class;
    }

    @Override
    public CompletableFuture<EvaluateResponse> handle(String command, EvaluateArguments arguments, DebugContext context) {
        String expression = Require.present(arguments.getExpression(), command, "expression").strip();
        if (expression.isEmpty()) {
            throw SondeException.invalidInput("The expression is empty; type a Java expression such as order.total.");
        }
        FrameRef frame = arguments.getFrameId() != null ? context.frames().get(arguments.getFrameId()) : topFrameOfStop(context);
        // An expression may assign, or call code that does: the locals read ahead of the client may go stale.
        context.stopReads().localsChanged();
        return context.session().async().evaluate(frame.threadId(), frame.index(), expression).thenApply(value -> {
            EvaluateResponse response = new EvaluateResponse();
            response.setResult(value.render());
            response.setType(value.type());
            Container.Children inside = DapValues.childrenOf(value, frame, expression);
            response.setVariablesReference(inside == null ? 0 : context.variables().idOf(inside));
            return response;
        });
    }

    static FrameRef topFrameOfStop(DebugContext context) {
        return context.session().currentStop()
                .filter(stop -> stop.thread() != null)
                .map(stop -> new FrameRef(stop.thread().id(), 0))
                .orElseThrow(() -> SondeException.badState(
                        "The target is running; expressions are evaluated in a stopped frame, so pause it or wait for a breakpoint."));
    }
}
