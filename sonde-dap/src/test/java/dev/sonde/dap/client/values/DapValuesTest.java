package dev.sonde.dap.client.values;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** debugpy's variables (as it sends them, groups and len() included) in Sonde's model. */
class DapValuesTest {

    private final Map<Integer, List<org.eclipse.lsp4j.debug.Variable>> server = Map.of(
            7, List.of(group("special variables", 20), group("function variables", 21),
                    variable("0", "'mug'", "str", 0), variable("1", "'tea'", "str", 0), variable("2", "[1, 2]", "list", 9),
                    variable("len()", "3", "int", 0)),
            8, List.of(group("special variables", 22), variable("'mug'", "2", "int", 0), variable("3", "None", "NoneType", 0),
                    variable("len()", "2", "int", 0)),
            9, List.of(variable("0", "1", "int", 0), variable("1", "2", "int", 0), variable("len()", "2", "int", 0)),
            10, List.of(group("special variables", 23), variable("sku", "'mug'", "str", 0), variable("quantity", "2", "int", 0)));
    private final DapValues values = new DapValues(server::get, 100, 5);

    @Test
    void scalarsKeepPythonsOwnText() {
        assertThat(values.value("int", "1000000000000000000000000000000", 0, 0).render()).isEqualTo("1000000000000000000000000000000");
        assertThat(values.value("float", "1e+20", 0, 0)).isEqualTo(new Value.Primitive("float", "1e+20"));
        assertThat(values.value("bool", "True", 0, 0).render()).isEqualTo("True");
        assertThat(values.value("NoneType", "None", 0, 0)).isEqualTo(new Value.Null("NoneType"));
        assertThat(values.value("str", "'a\\nlong one'", 0, 0)).isEqualTo(new Value.Text("str", 0, "a\nlon", 10));
        assertThat(values.value("str", "'cut short...", 0, 0).render()).isEqualTo("'cut short...");
        assertThat(values.value("function", "<function f at 0x1>", 0, 0)).isEqualTo(new Value.ObjectRef("function", 0, "<function f at 0x1>", null));
    }

    @Test
    void containersAreReadWithTheirFirstElements() {
        Value list = values.value("list", "['mug', 'tea', [1, 2]]", 7, 0);
        assertThat(list).isInstanceOf(Value.CollectionRef.class);
        assertThat(list.render()).isEqualTo("list(size=3) [\"mug\", \"tea\", [1, 2]]");
        assertThat(list.ref()).isEqualTo(7);

        Value dict = values.value("dict", "{'mug': 2, 3: None}", 8, 0);
        assertThat(dict.render()).isEqualTo("dict(size=2) {\"mug\"=2, 3=None}");

        assertThat(values.value("list", "[...]", 7, 1).render()).isEqualTo("list(size=3) [\"mug\", \"tea\", list(size=2) [1, 2]]");
    }

    @Test
    void childrenAreElementsOrFields() {
        values.value("list", "[...]", 7, 0);
        List<Variable> elements = values.children(7, 0);
        assertThat(elements).extracting(Variable::name).containsExactly("[0]", "[1]", "[2]");
        assertThat(elements).extracting(Variable::kind).containsOnly(VariableKind.ELEMENT);
        assertThat(values.children(9, 0)).extracting(v -> v.value().render()).containsExactly("1", "2");

        Value item = values.value("Item", "<Item object at 0x1>", 10, 1);
        assertThat(item.render()).isEqualTo("<Item object at 0x1> {sku=\"mug\", quantity=2}");
        assertThat(values.children(10, 0)).extracting(Variable::kind).containsOnly(VariableKind.FIELD);
    }

    @Test
    void referencesEndWhenTheTargetRuns() {
        values.value("list", "[...]", 7, 0);
        values.forget();
        SondeException stale = catchThrowableOfType(SondeException.class, () -> values.children(7, 0));
        assertThat(stale.kind()).isEqualTo(ErrorKind.BAD_STATE);
        assertThat(stale.getMessage()).isEqualTo("Value reference 7 is no longer valid: the target has run since it was read; read the value again.");
    }

    private static org.eclipse.lsp4j.debug.Variable variable(String name, String value, String type, int ref) {
        org.eclipse.lsp4j.debug.Variable variable = new org.eclipse.lsp4j.debug.Variable();
        variable.setName(name);
        variable.setValue(value);
        variable.setType(type);
        variable.setVariablesReference(ref);
        return variable;
    }

    private static org.eclipse.lsp4j.debug.Variable group(String name, int ref) {
        return variable(name, "", "", ref);
    }
}
