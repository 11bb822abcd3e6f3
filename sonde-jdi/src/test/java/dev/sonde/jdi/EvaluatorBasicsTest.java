package dev.sonde.jdi;

import dev.sonde.core.event.Event;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Value;
import dev.sonde.core.session.Session;
import dev.sonde.fixtures.Nested;
import dev.sonde.fixtures.Variables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.sonde.jdi.Targets.line;
import static dev.sonde.jdi.Targets.stopped;
import static org.assertj.core.api.Assertions.assertThat;

/** The basic evaluator behind {@code print}: names, this, field chains, static fields, arrays and literals. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluatorBasicsTest {

    private final ServerManager servers = new ServerManager();
    private Session session;
    private long thread;
    private int mainFrame;

    @BeforeAll
    void stopInDescribe() {
        session = Targets.launch(servers, Variables.class);
        stopped(session);
        session.addBreakpoint("Variables.java:" + line(Variables.class, "describe"));
        Event.Stopped stop = Targets.resumeToStop(session);
        thread = stop.thread().id();
        mainFrame = 1;
        assertThat(stop.location().method()).isEqualTo("describe");
    }

    @AfterAll
    void end() {
        session.close();
        servers.close();
    }

    private String inMain(String expression) {
        return session.evaluate(thread, mainFrame, expression).render();
    }

    private String inDescribe(String expression) {
        return session.evaluate(thread, 0, expression).render();
    }

    @Test
    void localsAndArguments() {
        assertThat(inMain("count")).isEqualTo("3");
        assertThat(inMain("text")).isEqualTo("\"line1\\n\\\"quoted\\\"\\ttab\\\\\"");
        assertThat(inMain("args")).isEqualTo("String[0] {}");
        assertThat(inMain("(count)")).isEqualTo("3");
        assertThat(inDescribe("verbosity")).isEqualTo("3");
        assertThat(inDescribe("prefix")).isEqualTo("\"order\"");
        assertThat(session.evaluate(thread, mainFrame, "count")).isEqualTo(new Value.Primitive("int", 3));
        assertThat(session.evaluate(thread, mainFrame, "nothing")).isEqualTo(new Value.Null("java.lang.String"));
    }

    @Test
    void thisAndItsFields() {
        Value self = session.evaluate(thread, 0, "this");
        assertThat(self.type()).isEqualTo("dev.sonde.fixtures.Variables$Order");
        assertThat(self.render()).startsWith("Variables$Order@").contains("id=17");
        assertThat(inDescribe("this.id")).isEqualTo("17");
        assertThat(inDescribe("id")).isEqualTo("17");
        assertThat(inDescribe("customer.name")).isEqualTo("\"Ada\"");
        assertThat(inDescribe("this.status")).isEqualTo("Variables$Status.PAID");
    }

    @Test
    void fieldChains() {
        assertThat(inMain("order.customer.name")).isEqualTo("\"Ada\"");
        assertThat(inMain("order.customer.parent.name")).isEqualTo("\"Grace\"");
        assertThat(inMain("order.items")).isEqualTo("ArrayList(size=3) [\"apple\", \"banana\", \"cherry\"]");
        assertThat(inMain("order.customer.parent.parent")).isEqualTo("null");
        assertThat(session.evaluate(thread, mainFrame, "order.customer.parent.parent").type())
                .isEqualTo("dev.sonde.fixtures.Variables$Customer");
    }

    @Test
    void staticFieldsBySimpleAndQualifiedClassName() {
        assertThat(inMain("Order.created")).isEqualTo("8");
        assertThat(inMain("Variables.Order.created")).isEqualTo("8");
        assertThat(inMain("dev.sonde.fixtures.Variables.Order.created")).isEqualTo("8");
        assertThat(inMain("dev.sonde.fixtures.Variables$Order.created")).isEqualTo("8");
        assertThat(inDescribe("created")).isEqualTo("8");
        assertThat(inMain("Status.PAID")).isEqualTo("Variables$Status.PAID");
        assertThat(inMain("Integer.MAX_VALUE")).isEqualTo("2147483647");
        assertThat(inMain("java.lang.Integer.MIN_VALUE")).isEqualTo("-2147483648");
    }

    @Test
    void arrayElementsAndLength() {
        assertThat(inMain("numbers[1]")).isEqualTo("2");
        assertThat(inMain("numbers.length")).isEqualTo("3");
        assertThat(inMain("grid[1][0]")).isEqualTo("3");
        assertThat(inMain("grid[0].length")).isEqualTo("2");
        assertThat(inMain("grid[0]")).isEqualTo("int[2] {1, 2}");
        assertThat(inMain("words[1]")).isEqualTo("null");
        assertThat(inMain("words[2]")).isEqualTo("\"c\"");
        assertThat(inMain("order.customer.scores[1]")).isEqualTo("95");
        assertThat(inMain("numbers['\\u0001']")).isEqualTo("2");
    }

    @Test
    void literals() {
        assertThat(session.evaluate(thread, 0, "42")).isEqualTo(new Value.Primitive("int", 42));
        assertThat(session.evaluate(thread, 0, "42L")).isEqualTo(new Value.Primitive("long", 42L));
        assertThat(session.evaluate(thread, 0, "1.5")).isEqualTo(new Value.Primitive("double", 1.5));
        assertThat(inDescribe("'c'")).isEqualTo("'c'");
        assertThat(inDescribe("'\\n'")).isEqualTo("'\\n'");
        assertThat(inDescribe("\"hi\\n\"")).isEqualTo("\"hi\\n\"");
        assertThat(inDescribe("true")).isEqualTo("true");
        assertThat(inDescribe("null")).isEqualTo("null");
        assertThat(session.evaluate(thread, 0, "-1")).isEqualTo(new Value.Primitive("int", -1));
        assertThat(session.evaluate(thread, 0, "-2147483648")).isEqualTo(new Value.Primitive("int", Integer.MIN_VALUE));
        assertThat(session.evaluate(thread, 0, "-9223372036854775808L")).isEqualTo(new Value.Primitive("long", Long.MIN_VALUE));
        assertThat(session.evaluate(thread, 0, "-0.5")).isEqualTo(new Value.Primitive("double", -0.5));
        assertThat(session.evaluate(thread, 0, "-verbosity")).isEqualTo(new Value.Primitive("int", -3));
        assertThat(session.evaluate(thread, 0, "+verbosity")).isEqualTo(new Value.Primitive("int", 3));
    }

    @Test
    void fieldsOfTheEnclosingInstanceFromAnInnerClass() {
        try (Session nested = Targets.launch(servers, Nested.class, "0")) {
            stopped(nested);
            nested.addBreakpoint("Nested.java:" + line(Nested.class, "inner"));
            long inner = Targets.resumeToStop(nested).thread().id();

            assertThat(nested.evaluate(inner, 0, "base").render()).isEqualTo("40");
            assertThat(nested.evaluate(inner, 0, "value").render()).isEqualTo("2");
            assertThat(nested.evaluate(inner, 0, "this$0.base").render()).isEqualTo("40");
            assertThat(nested.evaluate(inner, 0, "this").type()).isEqualTo("dev.sonde.fixtures.Nested$Inner");
        }
    }
}
