package dev.sonde.jdi;

import dev.sonde.core.event.Event;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;
import dev.sonde.core.session.Session;
import dev.sonde.fixtures.Oddities;
import dev.sonde.fixtures.Variables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static dev.sonde.jdi.Targets.line;
import static dev.sonde.jdi.Targets.rendered;
import static dev.sonde.jdi.Targets.stopped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Reading variables: every kind of local, {@code this} and fields to a depth, arrays and JDK collections
 * summarised from their fields, strings quoted and escaped. One target per fixture, held at its marker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VariablesTest {

    private final ServerManager servers = new ServerManager();
    private Session variables;
    private long variablesThread;
    private Session oddities;
    private long odditiesThread;
    private EventLog odditiesLog;

    @BeforeAll
    void holdBothFixturesAtTheirMarkers() {
        variables = Targets.launch(servers, Variables.class);
        stopped(variables);
        variables.addBreakpoint("Variables.java:" + line(Variables.class, "all-set"));
        variablesThread = Targets.resumeToStop(variables).thread().id();

        oddities = Targets.launch(servers, Oddities.class);
        stopped(oddities);
        oddities.addBreakpoint("Oddities.java:" + line(Oddities.class, "oddities"));
        odditiesThread = Targets.resumeToStop(oddities).thread().id();
        odditiesLog = EventLog.of(oddities);
    }

    @AfterAll
    void end() {
        odditiesLog.close();
        variables.close();
        oddities.close();
        servers.close();
    }

    /** Locals of Variables.main (frame 0, or 1 once a test has stopped in Order.describe). */
    private List<Variable> locals(int depth) {
        int main = variables.stackTrace(variablesThread).stream().filter(f -> f.location().method().equals("main"))
                .findFirst().orElseThrow().index();
        return variables.variables(variablesThread, main, depth);
    }

    private Variable local(String name, int depth) {
        return locals(depth).stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void primitivesStringsAndSimpleObjectsRenderLikeJavaSource() {
        Map<String, String> shown = rendered(locals(0));

        assertThat(shown).contains(
                entry("count", "3"),
                entry("big", "9000000000"),
                entry("ratio", "0.25"),
                entry("small", "1.5"),
                entry("letter", "'x'"),
                entry("quote", "'\\''"),
                entry("flag", "true"),
                entry("tiny", "-2"),
                entry("mid", "300"),
                entry("text", "\"line1\\n\\\"quoted\\\"\\ttab\\\\\""),
                entry("nothing", "null"),
                entry("boxed", "42"),
                entry("status", "Variables$Status.NEW"));
    }

    @Test
    void argumentsComeFirstThenLocalsInDeclarationOrderWithTheirTypes() {
        List<Variable> all = locals(0);

        assertThat(all.get(0)).extracting(Variable::name, Variable::kind, Variable::declaredType)
                .containsExactly("args", VariableKind.ARGUMENT, "java.lang.String[]");
        assertThat(all.get(0).value().render()).isEqualTo("String[0] {}");
        assertThat(all.subList(1, 5)).extracting(Variable::name).containsExactly("count", "big", "ratio", "small");
        assertThat(all.subList(1, all.size())).allMatch(v -> v.kind() == VariableKind.LOCAL);
        assertThat(all).extracting(Variable::name).doesNotContain("result", "i", "this");
        assertThat(local("nothing", 0).value()).isEqualTo(new Value.Null("java.lang.String"));
        assertThat(local("big", 0).value()).isEqualTo(new Value.Primitive("long", 9_000_000_000L));
        assertThat(local("letter", 0).value()).isEqualTo(new Value.Primitive("char", 'x'));
        assertThat(local("boxed", 0)).extracting(Variable::declaredType, v -> v.value().type())
                .containsExactly("java.lang.Integer", "java.lang.Integer");
        assertThat(local("list", 0)).extracting(Variable::declaredType, v -> v.value().type())
                .containsExactly("java.util.List", "java.util.ArrayList");
        assertThat(local("status", 0).value().type()).isEqualTo("dev.sonde.fixtures.Variables$Status");
    }

    @Test
    void arraysShowTheirLengthAndFirstElements() {
        Map<String, String> shown = rendered(locals(0));

        assertThat(shown).contains(
                entry("numbers", "int[3] {1, 2, 3}"),
                entry("words", "String[3] {\"a\", null, \"c\"}"),
                entry("grid", "int[][2] {int[2] {1, 2}, int[1] {3}}"),
                entry("manyLongs", "long[50] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...}"));
        Value.ArrayRef many = (Value.ArrayRef) local("manyLongs", 0).value();
        assertThat(many.length()).isEqualTo(50);
        assertThat(many.elements()).hasSize(10);
    }

    @Test
    void jdkCollectionsAreSummarisedWithSizeAndFirstElements() {
        Map<String, String> shown = rendered(locals(0));

        assertThat(shown).contains(
                entry("list", "ArrayList(size=3) [\"apple\", \"banana\", \"cherry\"]"),
                entry("linked", "LinkedList(size=2) [5, 6]"),
                entry("map", "HashMap(size=2) {\"two\"=2, \"one\"=1}"),
                entry("ordered", "LinkedHashMap(size=2) {\"first\"=1, \"second\"=2}"),
                entry("sorted", "TreeMap(size=3) {\"a\"=\"A\", \"b\"=\"B\", \"c\"=\"C\"}"),
                entry("immutableSet", "ImmutableCollections$Set12(size=1) [\"only\"]"),
                entry("immutableList", "ImmutableCollections$ListN(size=3) [10, 20, 30]"),
                entry("big100", "ArrayList(size=100) [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...]"));
        Value.CollectionRef big = (Value.CollectionRef) local("big100", 0).value();
        assertThat(big.size()).isEqualTo(100);
        assertThat(big.elements()).hasSize(10);
        Value.MapRef map = (Value.MapRef) local("map", 0).value();
        assertThat(map.entries()).extracting(e -> e.key().render(), e -> e.value().render())
                .containsExactlyInAnyOrder(tuple("\"one\"", "1"), tuple("\"two\"", "2"));
    }

    @Test
    void objectsExpandToTheRequestedDepth() {
        Value.ObjectRef flat = (Value.ObjectRef) local("order", 0).value();
        assertThat(flat.fields()).isNull();
        assertThat(flat.render()).matches("Variables\\$Order@\\d+");

        Value.ObjectRef order = (Value.ObjectRef) local("order", 1).value();
        assertThat(order.fields()).extracting(Variable::name, Variable::kind)
                .containsExactly(tuple("id", VariableKind.FIELD), tuple("customer", VariableKind.FIELD),
                        tuple("items", VariableKind.FIELD), tuple("status", VariableKind.FIELD));
        assertThat(order.render()).matches("Variables\\$Order@\\d+ \\{id=17, customer=Variables\\$Customer@\\d+,"
                + " items=ArrayList\\(size=3\\) \\[\"apple\", \"banana\", \"cherry\"], status=Variables\\$Status.PAID}");

        Value.ObjectRef deeper = (Value.ObjectRef) local("order", 2).value();
        Value.ObjectRef customer = (Value.ObjectRef) deeper.fields().get(1).value();
        assertThat(customer.render())
                .matches("Variables\\$Customer@\\d+ \\{name=\"Ada\", scores=int\\[2] \\{90, 95}, parent=Variables\\$Customer@\\d+}");
        // The same object shows the same id at every depth.
        assertThat(customer.ref()).isEqualTo(((Value.ObjectRef) order.fields().get(1).value()).ref());
    }

    @Test
    void childrenOfAValueExpandItOnDemand() {
        Value.ObjectRef customer = (Value.ObjectRef) local("customer", 0).value();

        List<Variable> fields = variables.children(customer.ref(), 0);
        assertThat(rendered(fields)).containsOnlyKeys("name", "scores", "parent").containsEntry("name", "\"Ada\"")
                .containsEntry("scores", "int[2] {90, 95}");
        Value.ObjectRef parent = (Value.ObjectRef) fields.get(2).value();
        assertThat(variables.children(parent.ref(), 1)).extracting(v -> v.name() + "=" + v.value().render())
                .containsExactly("name=\"Grace\"", "scores=int[0] {}", "parent=null");

        List<Variable> elements = variables.children(local("list", 0).value().ref(), 0);
        assertThat(elements).extracting(Variable::name, v -> v.value().render(), Variable::kind).containsExactly(
                tuple("[0]", "\"apple\"", VariableKind.ELEMENT), tuple("[1]", "\"banana\"", VariableKind.ELEMENT),
                tuple("[2]", "\"cherry\"", VariableKind.ELEMENT));
        assertThat(variables.children(local("big100", 0).value().ref(), 0)).hasSize(100).last()
                .extracting(v -> v.name() + "=" + v.value().render()).isEqualTo("[99]=99");
        assertThat(variables.children(local("sorted", 0).value().ref(), 0)).extracting(v -> v.name() + "=" + v.value().render())
                .containsExactly("\"a\"=\"A\"", "\"b\"=\"B\"", "\"c\"=\"C\"");
        assertThat(variables.children(local("grid", 0).value().ref(), 0)).extracting(v -> v.name() + "=" + v.value().render())
                .containsExactly("[0]=int[2] {1, 2}", "[1]=int[1] {3}");
        assertThat(variables.children(local("manyLongs", 0).value().ref(), 0)).hasSize(50);
    }

    @Test
    void thisArgumentsAndLocalsOfAnInstanceMethod() {
        int describe = line(Variables.class, "describe");
        int id = variables.addBreakpoint("Variables.java:" + describe).id();
        try {
            variables.resume();
            Event.Stopped stop = stopped(variables);
            assertThat(stop.location().method()).isEqualTo("describe");

            List<Variable> frame = variables.variables(stop.thread().id(), 0, 1);
            assertThat(frame).extracting(Variable::name, Variable::kind)
                    .containsExactly(tuple("this", VariableKind.THIS), tuple("verbosity", VariableKind.ARGUMENT),
                            tuple("prefix", VariableKind.LOCAL));
            assertThat(frame.get(0).declaredType()).isEqualTo("dev.sonde.fixtures.Variables$Order");
            assertThat(frame.get(0).value().render()).startsWith("Variables$Order@").contains("id=17", "status=Variables$Status.PAID");
            assertThat(frame.get(1).value().render()).isEqualTo("3");
            assertThat(frame.get(2).value().render()).isEqualTo("\"order\"");
            // The caller's frame is still there, one below.
            assertThat(rendered(variables.variables(stop.thread().id(), 1, 0))).containsEntry("count", "3");
        } finally {
            variables.removeBreakpoint(id);
        }
    }

    // ---- Oddities ----

    private Map<String, String> odd() {
        return rendered(oddities.variables(odditiesThread, 0, 1));
    }

    @Test
    void readingCollectionsRunsNoCodeInTheTarget() {
        odditiesLog.clear();
        Map<String, String> shown = odd();
        for (Variable v : oddities.variables(odditiesThread, 0, 2)) {
            if (v.value().ref() != 0) {
                oddities.children(v.value().ref(), 1);
            }
        }

        assertThat(shown).contains(
                entry("countedList", "Oddities$CountingList(size=2) [\"x\", \"y\"]"),
                entry("countedMap", "Oddities$CountingMap(size=1) {\"k\"=1}"));
        assertThat(shown.get("named")).matches("Oddities\\$Named@\\d+");
        // Every overridden method counts its calls: reading must not have called any of them.
        assertThat(oddities.evaluate(odditiesThread, 0, "calls").render()).isEqualTo("0");
        assertThat(oddities.evaluate(odditiesThread, 0, "Oddities.calls").render()).isEqualTo("0");
        assertThat(odditiesLog.control()).as("the target never ran while we read").isEmpty();
    }

    @Test
    void controlAndNonAsciiCharactersAndLongStrings() {
        Map<String, String> shown = odd();

        assertThat(shown.get("control")).isEqualTo("\"nul\\0bell\\u0007del\\u007f \u00e9\u00fc \uD83D\uDE00\"");
        assertThat(shown.get("longText")).isEqualTo("\"" + "x".repeat(500) + "\"...(600 chars)");
        Value.Text text = (Value.Text) oddities.variables(odditiesThread, 0, 0).stream()
                .filter(v -> v.name().equals("longText")).findFirst().orElseThrow().value();
        assertThat(text.truncated()).isTrue();
        assertThat(text.length()).isEqualTo(600);
    }

    @Test
    void moreJdkCollections() {
        Map<String, String> shown = odd();

        assertThat(shown).contains(
                entry("hashSet", "HashSet(size=1) [\"solo\"]"),
                entry("treeSet", "TreeSet(size=3) [1, 2, 3]"),
                entry("deque", "ArrayDeque(size=2) [\"head\", \"tail\"]"),
                entry("concurrent", "ConcurrentHashMap(size=1) {\"c\"=3}"),
                entry("unmodifiable", "Collections$UnmodifiableRandomAccessList(size=2) [\"u1\", \"u2\"]"),
                entry("fixed", "Arrays$ArrayList(size=2) [\"f1\", \"f2\"]"),
                entry("single", "ImmutableCollections$Map1(size=1) {\"key\"=\"value\"}"),
                entry("empty", "ImmutableCollections$ListN(size=0) []"));
    }

    @Test
    void structuresThatContainThemselvesStillRender() {
        Map<String, String> shown = odd();

        assertThat(shown.get("selfArray")).startsWith("Object[1] {");
        assertThat(shown.get("selfList")).startsWith("ArrayList(size=1) [");
        assertThat(oddities.children(oddities.variables(odditiesThread, 0, 0).stream()
                .filter(v -> v.name().equals("selfList")).findFirst().orElseThrow().value().ref(), 3)).hasSize(1);
    }
}
