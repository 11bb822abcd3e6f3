package dev.sonde.dap.server;

import dev.sonde.fixtures.Variables;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.EvaluateResponse;
import org.eclipse.lsp4j.debug.Scope;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.eclipse.lsp4j.debug.VariablesArgumentsFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.sonde.dap.server.DapClient.error;
import static dev.sonde.dap.server.DapClient.get;
import static dev.sonde.dap.server.Requests.at;
import static dev.sonde.dap.server.Requests.byName;
import static dev.sonde.dap.server.Requests.localsReference;
import static dev.sonde.dap.server.Requests.setBreakpoints;
import static dev.sonde.dap.server.Requests.topFrame;
import static dev.sonde.dap.server.Requests.variables;
import static org.assertj.core.api.Assertions.assertThat;

/** Scopes, variables (lazy, paged, with evaluate names) and evaluate, on one target held where every local is set. */
class VariablesTest {

    private static Adapter adapter;
    private static DapClient client;
    private static StackFrame frame;

    @BeforeAll
    static void stopWhereEverythingIsSet() {
        adapter = new Adapter();
        client = adapter.connect();
        client.launch(Fixtures.launch(Variables.class));
        setBreakpoints(client, Variables.class, at(Fixtures.line(Variables.class, "all-set")));
        client.configurationDone();
        StoppedEventArguments stop = client.stopped();
        frame = topFrame(client, stop.getThreadId());
    }

    @AfterAll
    static void end() {
        get(client.server().disconnect(new DisconnectArguments()));
        client.close();
        adapter.close();
    }

    @Test
    void aFrameHasItsLocalsAndItsClassesStatics() {
        ScopesArguments arguments = new ScopesArguments();
        arguments.setFrameId(frame.getId());
        Scope[] scopes = get(client.server().scopes(arguments)).getScopes();
        assertThat(scopes).extracting(Scope::getName, Scope::getPresentationHint, Scope::isExpensive)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Locals", "locals", false),
                        org.assertj.core.groups.Tuple.tuple("Statics", null, false));
    }

    @Test
    void localsShowSondesRenderingsTypesAndEvaluateNames() {
        Map<String, Variable> locals = byName(variables(client, localsReference(client, frame.getId())));
        assertThat(locals.keySet()).startsWith("args", "count", "big");
        assertThat(locals.get("count")).extracting(Variable::getValue, Variable::getType, Variable::getEvaluateName, Variable::getVariablesReference)
                .containsExactly("3", "int", "count", 0);
        assertThat(locals.get("text").getValue()).isEqualTo("\"line1\\n\\\"quoted\\\"\\ttab\\\\\"");
        assertThat(locals.get("text").getVariablesReference()).isZero();
        assertThat(locals.get("nothing").getValue()).isEqualTo("null");
        assertThat(locals.get("letter").getValue()).isEqualTo("'x'");
        assertThat(locals.get("list").getValue()).isEqualTo("ArrayList(size=3) [\"apple\", \"banana\", \"cherry\"]");
        assertThat(locals.get("list").getType()).isEqualTo("java.util.ArrayList");
        assertThat(locals.get("map").getValue()).startsWith("HashMap(size=2) {");
        assertThat(locals.get("numbers").getValue()).isEqualTo("int[3] {1, 2, 3}");
        assertThat(locals.get("status").getValue()).isEqualTo("Variables$Status.NEW");
        for (String expandable : new String[] {"list", "map", "numbers", "order", "customer", "big100"}) {
            assertThat(locals.get(expandable).getVariablesReference()).as(expandable).isPositive();
        }
    }

    @Test
    void objectsOpenOneLevelAtATimeWithJavaExpressionsForEachChild() {
        Map<String, Variable> locals = byName(variables(client, localsReference(client, frame.getId())));
        Map<String, Variable> order = byName(variables(client, locals.get("order").getVariablesReference()));
        // Last, the object's own toString(), run only when opened.
        assertThat(order.keySet()).containsExactly("id", "customer", "items", "status", "toString()");
        assertThat(order.get("id")).extracting(Variable::getValue, Variable::getEvaluateName).containsExactly("17", "order.id");
        Map<String, Variable> customer = byName(variables(client, order.get("customer").getVariablesReference()));
        assertThat(customer.get("name")).extracting(Variable::getValue, Variable::getEvaluateName)
                .containsExactly("\"Ada\"", "order.customer.name");
        Variable[] scores = variables(client, customer.get("scores").getVariablesReference());
        assertThat(scores).extracting(Variable::getName, Variable::getValue, Variable::getEvaluateName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("[0]", "90", "order.customer.scores[0]"),
                        org.assertj.core.groups.Tuple.tuple("[1]", "95", "order.customer.scores[1]"));
        // A collection's elements are read from its internals: no plain Java expression names them.
        Variable[] items = variables(client, order.get("items").getVariablesReference());
        assertThat(items).extracting(Variable::getValue).containsExactly("\"apple\"", "\"banana\"", "\"cherry\"");
        assertThat(items).allSatisfy(item -> assertThat(item.getEvaluateName()).isNull());
        Map<String, Variable> map = byName(variables(client, locals.get("map").getVariablesReference()));
        assertThat(map.get("\"one\"").getValue()).isEqualTo("1");
    }

    @Test
    void variablesComeInPages() {
        int big100 = byName(variables(client, localsReference(client, frame.getId()))).get("big100").getVariablesReference();
        VariablesArguments page = new VariablesArguments();
        page.setVariablesReference(big100);
        page.setStart(10);
        page.setCount(5);
        assertThat(get(client.server().variables(page)).getVariables()).extracting(Variable::getName, Variable::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("[10]", "10"), org.assertj.core.groups.Tuple.tuple("[11]", "11"),
                        org.assertj.core.groups.Tuple.tuple("[12]", "12"), org.assertj.core.groups.Tuple.tuple("[13]", "13"),
                        org.assertj.core.groups.Tuple.tuple("[14]", "14"));
        page.setStart(98);
        page.setCount(10);
        assertThat(get(client.server().variables(page)).getVariables()).extracting(Variable::getName).containsExactly("[98]", "[99]");
        page.setStart(null);
        page.setCount(null);
        page.setFilter(VariablesArgumentsFilter.NAMED);
        assertThat(get(client.server().variables(page)).getVariables()).isEmpty();
        page.setFilter(VariablesArgumentsFilter.INDEXED);
        assertThat(get(client.server().variables(page)).getVariables()).hasSize(100);
    }

    @Test
    void evaluateWorksInEveryContextAndItsResultsOpenLikeVariables() {
        assertThat(evaluate("order.customer.name", "repl", frame.getId()).getResult()).isEqualTo("\"Ada\"");
        assertThat(evaluate("count", "hover", frame.getId()).getResult()).isEqualTo("3");
        assertThat(evaluate("numbers.length", "watch", frame.getId()).getResult()).isEqualTo("3");
        assertThat(evaluate("count * 2 + 1", "clipboard", frame.getId()).getResult()).isEqualTo("7");
        EvaluateResponse order = evaluate("order", "watch", null);
        assertThat(order.getType()).isEqualTo("dev.sonde.fixtures.Variables$Order");
        Map<String, Variable> fields = byName(variables(client, order.getVariablesReference()));
        assertThat(fields.get("customer").getEvaluateName()).isEqualTo("order.customer");
        EvaluateResponse customer = evaluate("flag ? order.customer : null", "repl", frame.getId());
        assertThat(byName(variables(client, customer.getVariablesReference())).get("name").getEvaluateName())
                .isEqualTo("(flag ? order.customer : null).name");
    }

    @Test
    void evaluateErrorsAreOneSentence() {
        EvaluateArguments unknown = new EvaluateArguments();
        unknown.setExpression("nosuchthing + 1");
        unknown.setFrameId(frame.getId());
        assertThat(error(client.server().evaluate(unknown))).contains("nosuchthing").endsWith(".").doesNotContain("\n");
        EvaluateArguments staleFrame = new EvaluateArguments();
        staleFrame.setExpression("count");
        staleFrame.setFrameId(99_999);
        assertThat(error(client.server().evaluate(staleFrame)))
                .isEqualTo("Frame 99999 is not from the current stop; ask for the stack trace again.");
        VariablesArguments staleReference = new VariablesArguments();
        staleReference.setVariablesReference(99_999);
        assertThat(error(client.server().variables(staleReference)))
                .isEqualTo("Variables reference 99999 is not from the current stop; ask for the scopes of a frame again.");
    }

    private static EvaluateResponse evaluate(String expression, String context, Integer frameId) {
        EvaluateArguments arguments = new EvaluateArguments();
        arguments.setExpression(expression);
        arguments.setContext(context);
        arguments.setFrameId(frameId);
        return get(client.server().evaluate(arguments));
    }
}
