package dev.sonde.jdi;

import com.sun.jdi.IntegerValue;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.StackFrame;
import com.sun.jdi.StringReference;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.fixtures.EvalLoop;
import dev.sonde.jdi.eval.CompiledExpression;
import dev.sonde.jdi.eval.EvalOptions;
import dev.sonde.jdi.eval.Evaluated;
import dev.sonde.jdi.eval.Evaluator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator's API under plain JDI, with the JDWP commands it sends counted: per-location caching, no-invoke mode,
 * the invoke timeout, conditions. One EvalLoop, held at its loop's marker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompiledExpressionTest {

    private static final List<String> RUNS_CODE = List.of("ObjectReference.InvokeMethod", "ClassType.InvokeMethod",
            "ClassType.NewInstance", "InterfaceType.InvokeMethod");

    private final Evaluator evaluator = new Evaluator();
    private RawTarget target;

    @BeforeAll
    void stopInTheLoop() throws IOException {
        target = new RawTarget(EvalLoop.class);
        target.runTo(EvalLoop.class, "loop");
    }

    @AfterAll
    void end() throws IOException {
        target.close();
    }

    private int i() {
        return ((IntegerValue) evaluator.compile("i").evaluate(target.frame(), EvalOptions.NO_INVOKE).value()).value();
    }

    @Test
    void aConditionAtTheSameLocationReadsOnlyItsLocalAfterTheFirstHit() {
        CompiledExpression condition = evaluator.compile("i % 1000 == 7");
        StackFrame frame = target.frame();
        target.counter().take();
        condition.evaluate(frame, EvalOptions.DEFAULT);
        assertThat(target.counter().take()).as("the first hit resolves i").hasSizeGreaterThan(1).contains("StackFrame.GetValues");

        for (int hit = 0; hit < 3; hit++) {
            target.resumeToBreakpoint();
            frame = target.frame();
            target.counter().take();
            Evaluated result = condition.evaluate(frame, EvalOptions.DEFAULT);
            assertThat(target.counter().take()).as("a later hit").containsExactly("StackFrame.GetValues");
            assertThat(result.isTrue()).isEqualTo(i() % 1000 == 7);
        }

        // The same as a hand-written JDI read of the local.
        frame = target.frame();
        LocalVariable i;
        try {
            i = frame.visibleVariableByName("i");
        } catch (com.sun.jdi.AbsentInformationException e) {
            throw new AssertionError(e);
        }
        target.counter().take();
        frame.getValue(i);
        assertThat(target.counter().take()).containsExactly("StackFrame.GetValues");
    }

    @Test
    void fieldsAndStaticsAreReadWithOneRequestEachAfterTheFirstHit() {
        CompiledExpression condition = evaluator.compile("hits > 0 && calls >= 0");
        condition.evaluate(target.frame(), EvalOptions.DEFAULT);
        target.resumeToBreakpoint();
        StackFrame frame = target.frame();
        target.counter().take();

        assertThat(condition.evaluate(frame, EvalOptions.DEFAULT).isTrue()).isTrue();
        assertThat(target.counter().take()).containsExactlyInAnyOrder("StackFrame.ThisObject", "ObjectReference.GetValues",
                "ReferenceType.GetValues");
    }

    @Test
    void noInvokeModeRunsNoCodeAndSaysWhenItWould() {
        StackFrame frame = target.frame();
        target.counter().take();
        assertThat(refused("EvalLoop.stall()", frame)).isEqualTo(
                "Evaluating `EvalLoop.stall()` would run code in the target (EvalLoop.stall); allowed only when invocation is on.");
        assertThat(refused("\"at \" + this", frame)).isEqualTo(
                "Evaluating `\"at \" + this` would run code in the target (EvalLoop.toString); allowed only when invocation is on.");
        assertThat(refused("name.equals(\"loop\")", frame)).contains("(String.equals)");
        assertThat(refused("(Object) i", frame)).contains("(Integer.valueOf)");
        assertThat(refused("new StringBuilder()", frame)).contains("(new StringBuilder)");
        // A string compared with a literal by reference: from its text, then from the classes that refer to it.
        assertThat(evaluator.compile("name == \"loop\"").evaluate(frame, EvalOptions.NO_INVOKE).isTrue()).isTrue();
        assertThat(evaluator.compile("name == \"lop\"").evaluate(frame, EvalOptions.NO_INVOKE).isTrue()).isFalse();

        // Strings, numbers, fields and arrays need no code.
        int i = i();
        assertThat(evaluator.compile("\"at \" + i + \" in \" + name + \" after \" + (calls + 1) + 'x' + 1.5")
                .evaluate(frame, EvalOptions.NO_INVOKE).text()).isEqualTo("at " + i + " in loop after " + i + "x1.5");
        assertThat(evaluator.compile("new int[]{i, 2}.length").evaluate(frame, EvalOptions.NO_INVOKE).value())
                .isEqualTo(target.vm().mirrorOf(2));
        assertThat(target.counter().take()).doesNotContainAnyElementsOf(RUNS_CODE);
    }

    private String refused(String expression, StackFrame frame) {
        SondeException error = Targets.failure(() -> evaluator.compile(expression).evaluate(frame, EvalOptions.NO_INVOKE));
        assertThat(error.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
        return error.getMessage();
    }

    @Test
    void mayRunTargetCodeIsAnsweredFromTheTextConservatively() {
        for (String runsNoCode : List.of("i % 1000 == 7", "hits > 2 && name != null", "\"n=\" + 1", "numbers[0] + 1",
                "new int[3]", "(int) ratio", "o instanceof String s && s != null", "flag ? 1 : 2", "name == null")) {
            assertThat(evaluator.compile(runsNoCode).mayRunTargetCode()).as(runsNoCode).isFalse();
        }
        for (String mayRunCode : List.of("order.total()", "a.equals(b)", "\"n=\" + order", "a + b", "new Object()", "x = 1",
                "count++", "(Integer) 5", "(Object) i", "1 + foo()", "name == \"Ada\"")) {
            assertThat(evaluator.compile(mayRunCode).mayRunTargetCode()).as(mayRunCode).isTrue();
        }
    }

    @Test
    void aCallThatOutlivesTheTimeoutIsInterruptedAndTheThreadRunsOn() {
        EvalOptions quick = new EvalOptions(true, Duration.ofMillis(300));
        StackFrame frame = target.frame();
        SondeException timeout = Targets.failure(() -> evaluator.compile("EvalLoop.stall()").evaluate(frame, quick));
        assertThat(timeout.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(timeout.getMessage()).isEqualTo("`EvalLoop.stall()` did not return within 300 ms, so Sonde interrupted the"
                + " thread, which ended the call; raise the invoke timeout if the method is just slow.");
        assertThat(evaluator.isEvaluating(target.thread())).isFalse();

        int i = i();
        assertThat(evaluator.compile("name.length() + i").evaluate(target.frame(), quick).value()).isEqualTo(target.vm().mirrorOf(4 + i));
        target.resumeToBreakpoint();
        assertThat(i()).isEqualTo(i + 1);
    }

    @Test
    void resultsAndConditions() {
        StackFrame frame = target.frame();
        int i = i();
        assertThat(evaluator.compile("i >= 0").evaluate(frame, EvalOptions.NO_INVOKE).isTrue()).isTrue();
        assertThat(evaluator.compile("Boolean.FALSE").evaluate(frame, EvalOptions.NO_INVOKE).isTrue()).isFalse();
        SondeException notABoolean = Targets.failure(() -> evaluator.compile("i").evaluate(frame, EvalOptions.NO_INVOKE).isTrue());
        assertThat(notABoolean.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(notABoolean.getMessage()).isEqualTo("The condition is an int, not a boolean; write a test such as count > 3.");

        Evaluated text = evaluator.compile("\"at \" + i").evaluate(frame, EvalOptions.NO_INVOKE);
        assertThat(text).isEqualTo(new Evaluated(null, "at " + i, "java.lang.String"));
        assertThat(((StringReference) text.valueIn(target.vm())).value()).isEqualTo("at " + i);
        assertThat(evaluator.compile("null").evaluate(frame, EvalOptions.NO_INVOKE)).isEqualTo(new Evaluated(null, null, "null"));
        assertThat(evaluator.compile("name").evaluate(frame, EvalOptions.NO_INVOKE).typeName()).isEqualTo("java.lang.String");
        assertThat(evaluator.compile("i").source()).isEqualTo("i");
    }

    @Test
    void oneCompiledExpressionServesThreadsAtOnce() throws Exception {
        CompiledExpression sum = evaluator.compile("hits + i * 2 + calls");
        StackFrame frame = target.frame();
        int expected = ((IntegerValue) sum.evaluate(frame, EvalOptions.NO_INVOKE).value()).value();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> evaluations = new ArrayList<>();
            for (int n = 0; n < 40; n++) {
                evaluations.add(() -> ((IntegerValue) sum.evaluate(frame, EvalOptions.NO_INVOKE).value()).value());
            }
            for (Future<Integer> result : pool.invokeAll(evaluations)) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void malformedExpressionsFailAtCompileTime() {
        SondeException malformed = Targets.failure(() -> evaluator.compile("hits +"));
        assertThat(malformed.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(malformed.getMessage()).isEqualTo("Cannot parse 'hits +' as a Java expression (it ends too early);"
                + " check it, for example order.items[0].");
        assertThat(Targets.failure(() -> evaluator.compile(" ")).getMessage())
                .isEqualTo("Nothing to evaluate; give an expression such as order.items[0].");
        assertThat(Targets.failure(() -> evaluator.compile("0x1_0000_0000")).getMessage())
                .isEqualTo("The number 0x1_0000_0000 is too large for an int; write 0x1_0000_0000L for a long.");
    }
}
