package dev.sonde.dap.server.variables;

import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.eclipse.lsp4j.debug.VariablesArgumentsFilter;
import org.eclipse.lsp4j.debug.VariablesResponse;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code variables}: what a scope or a value holds, one level at a time: a value with something inside gets its own
 * variablesReference, opened only when the client asks. {@code start} and {@code count} page through the list;
 * the {@code indexed} filter keeps array and collection elements, {@code named} the rest.
 */
public final class VariablesHandler implements RequestHandler<VariablesArguments> {

    @Override
    public Class<VariablesArguments> argumentsType() {
        return VariablesArguments.class;
    }

    @Override
    public CompletableFuture<VariablesResponse> handle(String command, VariablesArguments arguments, DebugContext context) {
        Container container = context.variables().get(arguments.getVariablesReference());
        CompletableFuture<List<Variable>> reading = switch (container) {
            case Container.Locals locals -> context.stopReads().locals(context.session(), locals.frame().threadId(), locals.frame().index());
            case Container.Children children -> context.session().async().children(children.ref(), 0);
        };
        return reading.thenApply(variables -> {
            List<Variable> shown = page(filter(variables, arguments.getFilter()), arguments.getStart(), arguments.getCount());
            VariablesResponse response = new VariablesResponse();
            response.setVariables(shown.stream().map(v -> variable(v, container, context)).toArray(org.eclipse.lsp4j.debug.Variable[]::new));
            return response;
        });
    }

    private static List<Variable> filter(List<Variable> variables, VariablesArgumentsFilter filter) {
        if (filter == null) {
            return variables;
        }
        boolean indexed = filter == VariablesArgumentsFilter.INDEXED;
        return variables.stream().filter(v -> (v.kind() == VariableKind.ELEMENT) == indexed).toList();
    }

    private static List<Variable> page(List<Variable> variables, Integer start, Integer count) {
        int from = start == null ? 0 : Math.min(Math.max(0, start), variables.size());
        int to = count == null || count <= 0 ? variables.size() : (int) Math.min(variables.size(), (long) from + count);
        return variables.subList(from, to);
    }

    static org.eclipse.lsp4j.debug.Variable variable(Variable variable, Container container, DebugContext context) {
        String evaluateName = DapValues.evaluateName(container, variable);
        org.eclipse.lsp4j.debug.Variable dap = new org.eclipse.lsp4j.debug.Variable();
        dap.setName(variable.name());
        dap.setValue(variable.value().render());
        dap.setType(variable.value().type());
        dap.setEvaluateName(evaluateName);
        Container.Children inside = DapValues.childrenOf(variable.value(), container.frame(), evaluateName);
        dap.setVariablesReference(inside == null ? 0 : context.variables().idOf(inside));
        return dap;
    }
}
