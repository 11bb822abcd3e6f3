package dev.sonde.dap.server;

import dev.sonde.fixtures.Variables;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.SetVariableArguments;
import org.eclipse.lsp4j.debug.SetVariableResponse;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.sonde.dap.server.DapClient.error;
import static dev.sonde.dap.server.DapClient.get;
import static dev.sonde.dap.server.Requests.at;
import static dev.sonde.dap.server.Requests.byName;
import static dev.sonde.dap.server.Requests.evaluate;
import static dev.sonde.dap.server.Requests.localsReference;
import static dev.sonde.dap.server.Requests.resume;
import static dev.sonde.dap.server.Requests.setBreakpoints;
import static dev.sonde.dap.server.Requests.topFrame;
import static dev.sonde.dap.server.Requests.variables;
import static org.assertj.core.api.Assertions.assertThat;

/** setVariable through the expression that reaches each variable, and references that die when the target resumes. */
class SetVariableTest {

    @Test
    void setVariableAssignsLocalsFieldsAndArrayElementsAndReferencesEndAtResume() {
        try (Adapter adapter = new Adapter(); DapClient client = adapter.connect()) {
            client.launch(Fixtures.launch(Variables.class));
            setBreakpoints(client, Variables.class, at(Fixtures.line(Variables.class, "all-set")));
            client.configurationDone();
            StoppedEventArguments stop = client.stopped();
            StackFrame frame = topFrame(client, stop.getThreadId());
            int locals = localsReference(client, frame.getId());
            Map<String, Variable> named = byName(variables(client, locals));

            assertThat(set(client, locals, "count", "5").getValue()).isEqualTo("5");
            assertThat(set(client, locals, "text", "\"changed\"").getValue()).isEqualTo("\"changed\"");
            int customer = byName(variables(client, named.get("order").getVariablesReference())).get("customer").getVariablesReference();
            SetVariableResponse parent = set(client, customer, "parent", "null");
            assertThat(parent.getValue()).isEqualTo("null");
            assertThat(parent.getVariablesReference()).isZero();
            assertThat(set(client, named.get("numbers").getVariablesReference(), "[1]", "count * 4").getValue()).isEqualTo("20");
            assertThat(evaluate(client, frame.getId(), "count + \" \" + text + \" \" + numbers[1] + \" \" + order.customer.parent"))
                    .isEqualTo("\"5 changed 20 null\"");

            // The locals read ahead of the client at the stop are read again after an assignment.
            assertThat(byName(variables(client, locals)).get("count").getValue()).isEqualTo("5");

            assertThat(error(setting(client, named.get("list").getVariablesReference(), "[0]", "\"x\"")))
                    .startsWith("Cannot set [0]: no Java expression reaches it");

            resume(client);
            VariablesArguments stale = new VariablesArguments();
            stale.setVariablesReference(locals);
            assertThat(error(client.server().variables(stale))).contains("is not from the current stop");
            assertThat(client.awaitOutput("stdout", "changed")).contains("changed");
            get(client.server().disconnect(new DisconnectArguments()));
        }
    }

    private static SetVariableResponse set(DapClient client, int reference, String name, String value) {
        return get(setting(client, reference, name, value));
    }

    private static CompletableFuture<SetVariableResponse> setting(DapClient client, int reference, String name, String value) {
        SetVariableArguments arguments = new SetVariableArguments();
        arguments.setVariablesReference(reference);
        arguments.setName(name);
        arguments.setValue(value);
        return client.server().setVariable(arguments);
    }
}
