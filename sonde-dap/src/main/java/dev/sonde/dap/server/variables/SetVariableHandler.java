package dev.sonde.dap.server.variables;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.VariableKind;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.Require;
import org.eclipse.lsp4j.debug.SetVariableArguments;
import org.eclipse.lsp4j.debug.SetVariableResponse;

import java.util.concurrent.CompletableFuture;

/**
 * {@code setVariable}: assigns through the Java expression that reaches the variable ({@code order.total = 5},
 * {@code items[2] = "x"}, {@code count = 3}), evaluated in the frame the variable was read from.
 */
public final class SetVariableHandler implements RequestHandler<SetVariableArguments> {

    @Override
    public Class<SetVariableArguments> argumentsType() {
        return SetVariableArguments.class;
    }

    @Override
    public CompletableFuture<SetVariableResponse> handle(String command, SetVariableArguments arguments, DebugContext context) {
        String name = Require.present(arguments.getName(), command, "name");
        String value = Require.present(arguments.getValue(), command, "value").strip();
        Container container = context.variables().get(arguments.getVariablesReference());
        String target = switch (container) {
            case Container.Locals ignored -> name;
            case Container.Statics ignored -> name;
            case Container.Text ignored -> null;
            case Container.Children children -> DapValues.childExpression(children, name,
                    children.shape() == Container.Shape.ARRAY ? VariableKind.ELEMENT : VariableKind.FIELD);
        };
        if (target == null) {
            throw SondeException.invalidInput("Cannot set " + name + ": no Java expression reaches it (elements of collections are read"
                    + " from their internals); set it through a field, a local or an array element instead.");
        }
        context.stopReads().localsChanged();
        return context.session().async().evaluate(container.frame().threadId(), container.frame().index(), target + " = " + value)
                .thenApply(assigned -> {
                    SetVariableResponse response = new SetVariableResponse();
                    response.setValue(assigned.render());
                    response.setType(assigned.type());
                    Container.Children inside = DapValues.childrenOf(assigned, container.frame(), target);
                    response.setVariablesReference(inside == null ? 0 : context.variables().idOf(inside));
                    return response;
                });
    }
}
