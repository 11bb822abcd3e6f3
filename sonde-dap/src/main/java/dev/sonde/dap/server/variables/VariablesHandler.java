package dev.sonde.dap.server.variables;

import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.VariablePresentationHint;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.eclipse.lsp4j.debug.VariablesArgumentsFilter;
import org.eclipse.lsp4j.debug.VariablesResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code variables}: what a scope or a value holds, one level at a time: a value with something inside gets its own
 * variablesReference, opened only when the client asks. {@code start} and {@code count} page through the list; an
 * array or collection is read a page at a time from the target (its size goes out as {@code indexedVariables}), so
 * the first page of a million elements costs a page. The {@code indexed} filter keeps elements, {@code named} the
 * rest. A plain object offers its {@code toString()} as a lazy child, run only when the client opens it.
 */
public final class VariablesHandler implements RequestHandler<VariablesArguments> {

    /** The child that runs an object's {@code toString()} when opened. */
    static final String TO_STRING = "toString()";

    @Override
    public Class<VariablesArguments> argumentsType() {
        return VariablesArguments.class;
    }

    @Override
    public CompletableFuture<VariablesResponse> handle(String command, VariablesArguments arguments, DebugContext context) {
        Container container = context.variables().get(arguments.getVariablesReference());
        if (container instanceof Container.Text text) {
            return context.session().async().toText(text.frame().threadId(), text.ref()).thenApply(said -> {
                org.eclipse.lsp4j.debug.Variable dap = new org.eclipse.lsp4j.debug.Variable();
                dap.setName(TO_STRING);
                dap.setValue(said);
                dap.setType("java.lang.String");
                VariablesResponse response = new VariablesResponse();
                response.setVariables(new org.eclipse.lsp4j.debug.Variable[] {dap});
                return response;
            });
        }
        boolean elements = container instanceof Container.Children children && children.shape() != Container.Shape.OBJECT;
        if (elements && arguments.getFilter() == VariablesArgumentsFilter.NAMED) {
            return CompletableFuture.completedFuture(response(List.of(), container, context));
        }
        CompletableFuture<List<Variable>> reading = switch (container) {
            case Container.Locals locals -> context.stopReads().locals(context.session(), locals.frame().threadId(), locals.frame().index());
            case Container.Statics statics -> context.session().async().staticVariables(statics.frame().threadId(), statics.frame().index());
            case Container.Children children when elements && arguments.getCount() != null && arguments.getCount() > 0 ->
                    context.session().async().children(children.ref(), arguments.getStart() == null ? 0 : arguments.getStart(),
                            arguments.getCount(), 0);
            case Container.Children children -> context.session().async().children(children.ref(), 0);
            case Container.Text ignored -> throw new IllegalStateException("answered above");
        };
        boolean paged = elements && arguments.getCount() != null && arguments.getCount() > 0;
        return reading.thenApply(variables -> {
            List<Variable> shown = paged ? variables
                    : page(elements ? variables : filter(variables, arguments.getFilter()), arguments.getStart(), arguments.getCount());
            List<org.eclipse.lsp4j.debug.Variable> out = new ArrayList<>(shown.size() + 1);
            VariablesResponse response = response(shown, container, context);
            out.addAll(List.of(response.getVariables()));
            if (container instanceof Container.Children children && children.shape() == Container.Shape.OBJECT
                    && arguments.getFilter() != VariablesArgumentsFilter.INDEXED && (arguments.getStart() == null || arguments.getStart() == 0)) {
                out.add(lazyText(children, context));
            }
            response.setVariables(out.toArray(org.eclipse.lsp4j.debug.Variable[]::new));
            return response;
        });
    }

    private static VariablesResponse response(List<Variable> variables, Container container, DebugContext context) {
        VariablesResponse response = new VariablesResponse();
        response.setVariables(variables.stream().map(v -> variable(v, container, context)).toArray(org.eclipse.lsp4j.debug.Variable[]::new));
        return response;
    }

    private static org.eclipse.lsp4j.debug.Variable lazyText(Container.Children object, DebugContext context) {
        org.eclipse.lsp4j.debug.Variable dap = new org.eclipse.lsp4j.debug.Variable();
        dap.setName(TO_STRING);
        dap.setValue("(runs toString() in the target when opened)");
        dap.setType("java.lang.String");
        VariablePresentationHint hint = new VariablePresentationHint();
        hint.setLazy(true);
        hint.setKind("virtual");
        dap.setPresentationHint(hint);
        dap.setVariablesReference(context.variables().idOf(new Container.Text(object.frame(), object.ref())));
        return dap;
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
        Value value = variable.value();
        Container.Children inside = DapValues.childrenOf(value, container.frame(), evaluateName);
        dap.setVariablesReference(inside == null ? 0 : context.variables().idOf(inside));
        if (inside != null && inside.shape() != Container.Shape.OBJECT) {
            dap.setIndexedVariables(DapValues.indexedCount(value));
        }
        return dap;
    }
}
