package dev.sonde.agent.probes;

import dev.sonde.agent.expr.Conditions;
import dev.sonde.agent.spy.SondeSpy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Expressions compiled into a real method (woven, defined, verified and run by this JVM) give what Java gives for
 * the same expression: numeric promotion, concatenation, short-circuits, casts; and a throw stays inside the probe.
 */
class ExpressionSemanticsTest {

    /** The line of ExpressionSample.run's return statement. */
    private static final int LINE = 11;
    private static final List<String> lines = new ArrayList<>();
    private static final List<String> errors = new ArrayList<>();
    private static LogProbe current;

    @BeforeAll
    static void install() {
        SondeSpy.install(new SondeSpy.Sink() {
            @Override
            public boolean admit(int probe) {
                return true;
            }

            @Override
            public void log(int probe, Object[] values) {
                current.hit(values);
            }

            @Override
            public void exit(int probe, long startNanos, boolean threw) {
            }
        });
    }

    @AfterAll
    static void uninstall() {
        SondeSpy.install(null);
    }

    @Test
    void numbersPromoteAndConcatenateAsInJava() throws Exception {
        int i = 3;
        long l = 1L << 40;
        double d = 2.5;
        char c = 'b';
        String s = "xy";
        Integer boxed = 5;
        int[] arr = {4, 5, 6};
        String expected = String.join("|", List.of(
                String.valueOf(c + 1), String.valueOf(i / 2), String.valueOf(i / 2.0), String.valueOf(l * i), String.valueOf(d / 0),
                s + c + i, String.valueOf(c + i) + s, String.valueOf(boxed + 1), String.valueOf(boxed == 5), String.valueOf((byte) 300),
                String.valueOf(-i), String.valueOf(~l), String.valueOf(-7 >>> 28), String.valueOf(i << 33), String.valueOf(l >> 38),
                String.valueOf(d > Double.NaN), String.valueOf(arr.length), String.valueOf(arr[1] * 1.5f), String.valueOf(true ? 1 : 2.0),
                String.valueOf(i % 2 == 1 ? "odd" : null), String.valueOf('a' + 'b'), String.valueOf((char) (c + 1)), String.valueOf(Math.abs(-i)),
                String.valueOf(s.length() > 1 && s.charAt(0) == 'x'), String.valueOf(0x10 + 0b11 + 017 + 1_000), String.valueOf(1e3f / 3),
                String.valueOf(Integer.MAX_VALUE + 1), String.valueOf(Long.MIN_VALUE - 1), String.valueOf(i & 6 | 8 ^ 1), String.valueOf((int) 3.99),
                "hidden", "7", "true"));
        String text = String.join("|", List.of("{c + 1}", "{i / 2}", "{i / 2.0}", "{l * i}", "{d / 0}", "{s + c + i}", "{c + i + s}",
                "{boxed + 1}", "{boxed == 5}", "{(byte) 300}", "{-i}", "{~l}", "{-7 >>> 28}", "{i << 33}", "{l >> 38}", "{d > Double.NaN}",
                "{arr.length}", "{arr[1] * 1.5f}", "{true ? 1 : 2.0}", "{i % 2 == 1 ? \"odd\" : null}", "{'a' + 'b'}", "{(char) (c + 1)}",
                "{Math.abs(-i)}", "{s.length() > 1 && s.charAt(0) == 'x'}", "{0x10 + 0b11 + 017 + 1_000}", "{1e3f / 3}",
                "{Integer.MAX_VALUE + 1}", "{Long.MIN_VALUE - 1}", "{i & 6 | 8 ^ 1}", "{(int) 3.99}", "{secret}", "{ExpressionSample.counter}",
                "{(Object) s instanceof CharSequence && Objects.equals(s, \"xy\")}"));
        assertThat(run(text, null, i, l, d, c, s, boxed, arr, true)).containsExactly(expected);
    }

    @Test
    void conditionsShortCircuitAndAThrowCountsAsFalseWithOneReport() throws Exception {
        assertThat(run("{i}", "s != null && s.length() == 2 || i > 100", 3, 0L, 0.0, 'a', null, 1, new int[0], false)).isEmpty();
        assertThat(run("{i}", "s == null || s.isEmpty()", 4, 0L, 0.0, 'a', null, 1, new int[0], false)).containsExactly("4");
        errors.clear();
        assertThat(run("{i} {s.length()}", "arr[i] > 0", 2, 0L, 0.0, 'a', null, 1, new int[] {1, 2, 3}, false))
                .containsExactly("2 <NullPointerException>");
        assertThat(errors).singleElement().asString().startsWith("The value {s.length()} threw java.lang.NullPointerException");
        errors.clear();
        assertThat(run("{i}", "arr[i] > 0", 5, 0L, 0.0, 'a', null, 1, new int[] {1}, false)).isEmpty();
        assertThat(errors).singleElement().asString()
                .startsWith("The condition 'arr[i] > 0' threw java.lang.ArrayIndexOutOfBoundsException").endsWith("such hits count as false. Later errors of this kind are only counted.");
    }

    @Test
    void typeErrorsAreSentences() {
        assertThatThrownBy(() -> run("{i}", "i > s", 1, 0L, 0.0, 'a', "", 1, new int[0], false))
                .hasMessage("'i' is an int; it cannot be compared with a String ('s').");
        assertThatThrownBy(() -> run("{s * 2}", null, 1, 0L, 0.0, 'a', "", 1, new int[0], false))
                .hasMessage("'s' is a String; it cannot be multiplied by an int ('2').");
        assertThatThrownBy(() -> run("{flag && i}", null, 1, 0L, 0.0, 'a', "", 1, new int[0], false))
                .hasMessage("'i' is an int; '&&' needs a boolean (true or false).");
        assertThatThrownBy(() -> run("{arr[l]}", null, 1, 0L, 0.0, 'a', "", 1, new int[0], false))
                .hasMessage("'l' is a long; an array index must be an int.");
        assertThatThrownBy(() -> run("{s.hashCode() + s.intern()}", null, 1, 0L, 0.0, 'a', "", 1, new int[0], false))
                .hasMessage("'s.intern()' (column 16) calls String.intern, which could change the program; set the probe with --allow-invoke to run it.");
    }

    @Test
    void withInvokeAllowedAnyMethodRunsVarargsIncluded() throws Exception {
        assertThat(runAllowing(true, "{String.format(\"%s-%d-%x\", s, i, 300)} {java.util.List.of(i, l).size()} {String.join(\",\", s, s)} {twice(i) + this.twice(1)}", null,
                3, 4L, 1.25, 'a', "xy", 1, new int[0], false)).containsExactly("xy-3-12c 2 xy,xy 8");
        assertThatThrownBy(() -> run("{String.format(\"%d\", i)}", null, 3, 4L, 1.25, 'a', "xy", 1, new int[0], false))
                .hasMessage("'String.format(\"%d\", i)' calls String.format, which could change the program; set the probe with"
                        + " --allow-invoke to run it.");
    }

    @Test
    void aLineInsideAnExpressionIsRefusedWithTheLinesToUseInstead() throws Exception {
        org.objectweb.asm.tree.ClassNode type = LineScan.read(bytes(ExpressionSample.class));
        int continued = LINE + 5;
        LineScan.Found at = LineScan.find(type, continued).orElseThrow();
        assertThatThrownBy(() -> dev.sonde.agent.expr.Placement.requireStatementStart(type.name, at.node(), at.instruction(), continued))
                .hasMessage("Line " + continued + " starts inside an expression begun earlier (or at a catch clause), where the operand stack"
                        + " holds values and a probe's expressions cannot run; probe line " + (continued - 1) + ".");
        LineScan.Found start = LineScan.find(type, continued - 1).orElseThrow();
        dev.sonde.agent.expr.Placement.requireStatementStart(type.name, start.node(), start.instruction(), continued - 1);
    }

    /** Weaves a logpoint at the marked line, runs the method once with these arguments, returns the lines it printed. */
    private static List<String> run(String text, String condition, Object... arguments) throws Exception {
        return runAllowing(false, text, condition, arguments);
    }

    private static List<String> runAllowing(boolean allowInvoke, String text, String condition, Object... arguments) throws Exception {
        byte[] bytes = bytes(ExpressionSample.class);
        LineScan.Found at = LineScan.find(LineScan.read(bytes), LINE).orElseThrow();
        Template.Scope scope = new Template.Scope() {
            @Override
            public Class<?> type() {
                return ExpressionSample.class;
            }

            @Override
            public boolean isStatic() {
                return at.isStatic();
            }

            @Override
            public Optional<Template.Local> local(String name) {
                return at.local(name);
            }

            @Override
            public ClassLoader loader() {
                return ExpressionSample.class.getClassLoader();
            }
        };
        Template template = Template.compile(text, scope, allowInvoke);
        Guard guard = condition == null ? Guard.ALWAYS : Conditions.compile(condition, scope, allowInvoke);
        lines.clear();
        current = new LogProbe(1, ExpressionSample.class, at.method(), at.descriptor(), LINE, text, template, guard, 1000, event -> {
            String json = event.toString();
            if (json.contains("\"event\":\"log\"")) {
                lines.add(json.replaceAll(".*\"text\":\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1"));
            } else {
                errors.add(json.replaceAll(".*\"text\":\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1").replace("\\\"", "\""));
            }
        });
        byte[] woven = Weaver.weave(bytes, ExpressionSample.class.getClassLoader(), List.of(current));
        Class<?> copy = new ClassLoader(ExpressionSample.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(ExpressionSample.class.getName(), woven, 0, woven.length);
            }
        }.define();
        Method method = copy.getMethod("run", int.class, long.class, double.class, char.class, String.class, Integer.class, int[].class, boolean.class);
        try {
            method.invoke(copy.getDeclaredConstructor().newInstance(), arguments);
        } catch (java.lang.reflect.InvocationTargetException e) {
            // the method's own NullPointerException (s.length() with s null) is the application's, after the probe
        }
        return List.copyOf(lines);
    }

    private static byte[] bytes(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }
}
