package dev.sonde.jdi;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.model.Completion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Console completions against an EvalFixture stopped in its anonymous class, completed in the frame of {@code run}
 * (rich locals) and of the anonymous class (captured locals, enclosing instances). None of them runs code: a call
 * before the dot is typed, not made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompletionsTest {

    @RegisterExtension
    final EvalFixtureStop stop = new EvalFixtureStop();

    private List<Completion> complete(String text) {
        return stop.session().completions(stop.thread(), stop.runFrame(), text, text.length());
    }

    @Test
    void namesInScopeAreLocalsThenFieldsThenMethods() {
        assertThat(complete("ord")).extracting(Completion::label).containsExactly("order");
        assertThat(complete("ord")).first().isEqualTo(new Completion("order", Completion.Kind.VARIABLE, "EvalFixture.Order"));
        assertThat(complete("si")).contains(new Completion("size", Completion.Kind.FIELD, "int"));
        assertThat(complete("su")).contains(new Completion("sum", Completion.Kind.METHOD, "sum(int...) : int"));
        List<String> all = complete("").stream().map(Completion::label).toList();
        assertThat(all).contains("i", "order", "size", "counter", "GREETING", "describe", "run");
        assertThat(all.indexOf("order")).isLessThan(all.indexOf("size"));
        assertThat(all.indexOf("size")).isLessThan(all.indexOf("describe"));
    }

    @Test
    void afterADotComeTheMembersOfTheStaticType() {
        assertThat(complete("order.")).contains(
                new Completion("customer", Completion.Kind.FIELD, "EvalFixture.Customer"),
                new Completion("id", Completion.Kind.FIELD, "int"),
                new Completion("total", Completion.Kind.METHOD, "total() : double"));
        assertThat(complete("order.customer.na")).containsExactlyInAnyOrder(
                new Completion("name", Completion.Kind.FIELD, "String"),
                new Completion("name", Completion.Kind.METHOD, "name() : String"));
        assertThat(complete("text.len")).containsExactly(new Completion("length", Completion.Kind.METHOD, "length() : int"));
        assertThat(complete("numbers.le")).containsExactly(new Completion("length", Completion.Kind.FIELD, "int"));
        // The static type, not the object's class: priced is an Item, typed Priced.
        assertThat(complete("priced.")).extracting(Completion::label).contains("price", "currency").doesNotContain("quantity");
    }

    @Test
    void aClassNameGivesItsStaticMembersAndNestedClasses() {
        assertThat(complete("EvalFixture.Status.P")).contains(new Completion("PAID", Completion.Kind.FIELD, "EvalFixture.Status"));
        assertThat(complete("EvalFixture.O")).contains(new Completion("Order", Completion.Kind.CLASS, "EvalFixture.Order"));
        assertThat(complete("Math.abs")).extracting(Completion::detail)
                .contains("abs(int) : int", "abs(long) : long", "abs(double) : double");
        assertThat(complete("java.util.Collections.empty")).extracting(Completion::label).contains("emptyList");
        assertThat(complete("EvalFixture.")).extracting(Completion::label).doesNotContain("size", "run");
    }

    @Test
    void callsAndOperatorsBeforeTheDotAreTypedWithoutRunningThem() {
        assertThat(complete("order.customer.name().len")).containsExactly(new Completion("length", Completion.Kind.METHOD, "length() : int"));
        assertThat(complete("new EvalFixture.Order(1).cou")).containsExactly(new Completion("count", Completion.Kind.METHOD, "count() : int"));
        assertThat(complete("((Order) anOrder).to")).extracting(Completion::label).contains("total", "toString");
        assertThat(complete("EvalFixture.traced(1).")).isEmpty();
        // A generic call's result is typed by the receiver's type arguments: stock is a List<Item>.
        assertThat(complete("stock.get(0).qu")).containsExactly(new Completion("quantity", Completion.Kind.FIELD, "int"));
        assertThat(complete("list.get(0).isE")).containsExactly(new Completion("isEmpty", Completion.Kind.METHOD, "isEmpty() : boolean"));
        assertThat(complete("i + order.items[0].na")).containsExactly(new Completion("name", Completion.Kind.FIELD, "String"));
        assertThat(stop.session().evaluate(stop.thread(), stop.runFrame(), "lastCall").render()).as("traced never ran").isEqualTo("\"none\"");
    }

    @Test
    void theCursorMayStandInsideTheText() {
        String text = "order.cus + 1";
        assertThat(stop.session().completions(stop.thread(), stop.runFrame(), text, "order.cus".length()))
                .extracting(Completion::label).containsExactly("customer");
        assertThat(complete("nosuchname.")).isEmpty();
        assertThat(Targets.failure(() -> stop.session().completions(stop.thread(), stop.runFrame(), "ord", 9)).kind())
                .isEqualTo(ErrorKind.INVALID_INPUT);
    }

    @Test
    void theAnonymousClassSeesItsCapturedLocalsAndEnclosingFields() {
        List<String> labels = stop.session().completions(stop.thread(), 0, "", 0).stream().map(Completion::label).toList();
        assertThat(labels).contains("anonLocal", "own", "inLambda", "depth", "size", "note");
    }
}
