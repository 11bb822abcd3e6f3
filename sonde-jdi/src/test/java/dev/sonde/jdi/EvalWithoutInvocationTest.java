package dev.sonde.jdi;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The newer expression forms evaluated with invocation off: none of them needs code to run in the target. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvalWithoutInvocationTest {

    @RegisterExtension
    final EvalFixtureStop stop = new EvalFixtureStop();

    private String eval(String expression) {
        return stop.session().evaluate(stop.thread(), stop.runFrame(), expression, false).render();
    }

    @Test
    void aStringComparedWithALiteralByReference() {
        assertThat(eval("text == \"héllo\"")).as("a literal of the running code is the interned string").isEqualTo("true");
        assertThat(eval("\"héllo\" != text")).isEqualTo("false");
        assertThat(eval("copy == \"héllo\"")).as("new String(\"héllo\") is an equal copy, not the interned one").isEqualTo("false");
        assertThat(stop.session().evaluate(stop.thread(), stop.runFrame(), "copy.equals(text)").render()).as("the texts are equal").isEqualTo("true");
        assertThat(eval("GREETING == \"hello\"")).as("a constant of the class holds the interned string").isEqualTo("true");
        assertThat(eval("text == \"other\"")).as("a different text, decided from the text").isEqualTo("false");
        assertThat(eval("nothing == \"héllo\"")).isEqualTo("false");
    }

    @Test
    void theSameComparisonsWithInvocationAgree() {
        for (String expression : new String[] {"text == \"héllo\"", "copy == \"héllo\"", "GREETING == \"hello\"", "text == \"other\""}) {
            assertThat(stop.session().evaluate(stop.thread(), stop.runFrame(), expression, true).render()).as(expression).isEqualTo(eval(expression));
        }
    }

    @Test
    void aLambdaNeedsInvocationAndSaysSo() {
        SondeException refused = Targets.failure(() -> stop.session().evaluate(stop.thread(), stop.runFrame(),
                "stock.stream().filter(x -> x.quantity > 2).count()", false));
        assertThat(refused.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
        assertThat(refused.getMessage()).isEqualTo("Evaluating `stock.stream()` would run code in the target (Collection.stream);"
                + " allowed only when invocation is on.");
    }

    @Test
    void switchesAndConditionalsRunNoCode() {
        assertThat(eval("switch (status) { case NEW -> 1; case PAID -> 2; default -> 3; }")).isEqualTo("2");
        assertThat(eval("switch (text) { case \"héllo\" -> 'h'; default -> 'x'; }")).isEqualTo("'h'");
        assertThat(eval("flag ? 66 : 'a'")).isEqualTo("'B'");
        assertThat(eval("(flag ? i : 2L) / 2")).isEqualTo("3");
    }
}
