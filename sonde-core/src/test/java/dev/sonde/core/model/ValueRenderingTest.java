package dev.sonde.core.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-line renderings every front end shows: Java-flavoured, quoted and escaped. */
class ValueRenderingTest {

    private static Value.Primitive integer(int value) {
        return new Value.Primitive("int", value);
    }

    private static Value.Text text(String text) {
        return new Value.Text("java.lang.String", 7, text, text.length());
    }

    @Test
    void primitivesAndNull() {
        assertThat(integer(-3).render()).isEqualTo("-3");
        assertThat(new Value.Primitive("long", 9_000_000_000L).render()).isEqualTo("9000000000");
        assertThat(new Value.Primitive("double", 0.25).render()).isEqualTo("0.25");
        assertThat(new Value.Primitive("boolean", true).render()).isEqualTo("true");
        assertThat(new Value.Null("java.lang.String").render()).isEqualTo("null");
        assertThat(new Value.Null("java.lang.String").ref()).isZero();
    }

    @Test
    void charsInSingleQuotesEscaped() {
        assertThat(new Value.Primitive("char", 'x').render()).isEqualTo("'x'");
        assertThat(new Value.Primitive("char", '\'').render()).isEqualTo("'\\''");
        assertThat(new Value.Primitive("char", '"').render()).isEqualTo("'\"'");
        assertThat(new Value.Primitive("char", '\n').render()).isEqualTo("'\\n'");
        assertThat(new Value.Primitive("char", '\\').render()).isEqualTo("'\\\\'");
        assertThat(new Value.Primitive("char", '\u0001').render()).isEqualTo("'\\u0001'");
    }

    @Test
    void stringsInDoubleQuotesEscapedExactly() {
        assertThat(text("plain").render()).isEqualTo("\"plain\"");
        assertThat(text("line1\n\"quoted\"\ttab\\").render()).isEqualTo("\"line1\\n\\\"quoted\\\"\\ttab\\\\\"");
        assertThat(text("it's").render()).isEqualTo("\"it's\"");
        assertThat(text("\r\b\f\0\u007f\u001b").render()).isEqualTo("\"\\r\\b\\f\\0\\u007f\\u001b\"");
        assertThat(text("é 😀").render()).isEqualTo("\"é 😀\"");
        assertThat(text("").render()).isEqualTo("\"\"");
    }

    @Test
    void longStringsSayTheyWereCut() {
        Value.Text cut = new Value.Text("java.lang.String", 1, "abc", 600);

        assertThat(cut.truncated()).isTrue();
        assertThat(cut.render()).isEqualTo("\"abc\"...(600 chars)");
        assertThat(cut.ref()).isZero();
        assertThat(text("abc").truncated()).isFalse();
    }

    @Test
    void arraysShowLengthAndFirstElements() {
        assertThat(new Value.ArrayRef("int[]", 1, 3, List.of(integer(1), integer(2), integer(3))).render()).isEqualTo("int[3] {1, 2, 3}");
        assertThat(new Value.ArrayRef("int[]", 1, 50, List.of(integer(0), integer(0))).render()).isEqualTo("int[50] {0, 0, ...}");
        assertThat(new Value.ArrayRef("java.lang.String[]", 1, 0, List.of()).render()).isEqualTo("String[0] {}");
        assertThat(new Value.ArrayRef("java.lang.Object[]", 1, 4, List.of()).render()).isEqualTo("Object[4] {...}");
        assertThat(new Value.ArrayRef("int[][]", 1, 1, List.of(new Value.ArrayRef("int[]", 2, 1, List.of(integer(3))))).render())
                .isEqualTo("int[][1] {int[1] {3}}");
        assertThat(new Value.ArrayRef("java.lang.String[]", 1, 2, List.of(text("a"), new Value.Null("java.lang.String"))).render())
                .isEqualTo("String[2] {\"a\", null}");
    }

    @Test
    void collectionsAndMaps() {
        assertThat(new Value.CollectionRef("java.util.ArrayList", 1, 2, List.of(text("a"), text("b"))).render())
                .isEqualTo("ArrayList(size=2) [\"a\", \"b\"]");
        assertThat(new Value.CollectionRef("java.util.ArrayList", 1, 100, List.of(integer(0))).render())
                .isEqualTo("ArrayList(size=100) [0, ...]");
        assertThat(new Value.CollectionRef("java.util.HashSet", 1, 0, List.of()).render()).isEqualTo("HashSet(size=0) []");
        assertThat(new Value.MapRef("java.util.TreeMap", 1, 3, List.of(new Value.MapRef.Entry(text("a"), integer(1)))).render())
                .isEqualTo("TreeMap(size=3) {\"a\"=1, ...}");
        assertThat(new Value.MapRef("java.util.HashMap", 1, 2, List.of()).render()).isEqualTo("HashMap(size=2) {...}");
    }

    @Test
    void objectsShowTheirSummaryAndFieldsWhenExpanded() {
        Value.ObjectRef flat = new Value.ObjectRef("com.acme.Order", 61, "Order@61", null);
        Value.ObjectRef expanded = new Value.ObjectRef("com.acme.Order", 61, "Order@61", List.of(
                new Variable("id", "long", new Value.Primitive("long", 17L), VariableKind.FIELD),
                new Variable("note", "java.lang.String", text("x\"y"), VariableKind.FIELD)));

        assertThat(flat.render()).isEqualTo("Order@61");
        assertThat(new Value.ObjectRef("com.acme.Order", 61, "Order@61", List.of()).render()).isEqualTo("Order@61");
        assertThat(expanded.render()).isEqualTo("Order@61 {id=17, note=\"x\\\"y\"}");
        assertThat(expanded.ref()).isEqualTo(61);
        assertThat(new Value.Unavailable("java.lang.Object", "collected").render()).isEqualTo("<collected>");
    }

    @Test
    void simpleNamesLocationsAndThreadNames() {
        assertThat(Rendering.simpleName("java.util.ArrayList")).isEqualTo("ArrayList");
        assertThat(Rendering.simpleName("a.B$C")).isEqualTo("B$C");
        assertThat(Rendering.simpleName("int")).isEqualTo("int");

        Location located = new Location("com.acme.Orders", "place", "Orders.java", 42);
        assertThat(located.sourcePath()).isEqualTo("com/acme/Orders.java");
        assertThat(located).hasToString("Orders.place (Orders.java:42)");
        Location noSource = new Location("Main", null, null, -1);
        assertThat(noSource.sourcePath()).isNull();
        assertThat(noSource).hasToString("Main (no source)");
        assertThat(new Location("com.acme.Orders$$Lambda/0x0000012", "run", null, -1)).hasToString("Orders$$Lambda.run (no source)");

        assertThat(new ThreadInfo(5, "", ThreadStatus.RUNNING, true, false).displayName()).isEqualTo("virtual#5");
        assertThat(new ThreadInfo(6, null, ThreadStatus.RUNNING, false, false).displayName()).isEqualTo("thread#6");
        assertThat(new ThreadInfo(1, "main", ThreadStatus.WAITING, false, true).displayName()).isEqualTo("main");
        assertThat(ThreadStatus.NOT_STARTED.label()).isEqualTo("not started");
    }
}
