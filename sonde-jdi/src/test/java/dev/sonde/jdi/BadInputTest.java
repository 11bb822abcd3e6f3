package dev.sonde.jdi;

import dev.sonde.core.backend.StepKind;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionState;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Variables;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.sonde.jdi.Targets.line;
import static dev.sonde.jdi.Targets.stopped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input at the backend: each error is one sentence of the right kind, and the session works right after.
 * One target held at Variables' marker, one Counter left running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private final ServerManager servers = new ServerManager();
    private Session held;
    private long heldThread;
    private Session running;
    private long runningMain;

    @BeforeAll
    void start() {
        held = Targets.launch(servers, Variables.class);
        stopped(held);
        held.addBreakpoint("Variables.java:" + line(Variables.class, "all-set"));
        heldThread = Targets.resumeToStop(held).thread().id();

        running = Targets.launch(servers, Counter.class);
        runningMain = stopped(running).thread().id();
        running.resume();
    }

    @AfterEach
    void bothSessionsStillWork() {
        assertThat(held.state()).isEqualTo(SessionState.STOPPED);
        assertThat(held.evaluate(heldThread, 0, "count").render()).isEqualTo("3");
        assertThat(held.stackTrace(heldThread)).hasSize(1);
        assertThat(running.threads()).extracting(ThreadInfo::name).contains("main");
        if (running.state() == SessionState.STOPPED) {
            running.resume();
        }
    }

    @AfterAll
    void end() {
        held.close();
        running.close();
        servers.close();
    }

    private static SondeException error(ErrorKind kind, ThrowableAssert.ThrowingCallable call) {
        SondeException error = Targets.failure(call);
        assertThat(error.kind()).as(error.getMessage()).isEqualTo(kind);
        assertThat(error.getMessage()).as("one sentence").endsWith(".").doesNotContain("\n").doesNotContain("Exception");
        return error;
    }

    private String evalError(ErrorKind kind, String expression) {
        return error(kind, () -> held.evaluate(heldThread, 0, expression)).getMessage();
    }

    @Test
    void anUnknownThreadId() {
        assertThat(error(ErrorKind.NOT_FOUND, () -> held.stackTrace(999_999)).getMessage())
                .isEqualTo("There is no thread 999999; `threads` lists them.");
        error(ErrorKind.NOT_FOUND, () -> held.variables(999_999, 0));
        error(ErrorKind.NOT_FOUND, () -> held.evaluate(999_999, 0, "count"));
        error(ErrorKind.NOT_FOUND, () -> held.resumeThread(999_999));
        error(ErrorKind.NOT_FOUND, () -> held.pauseThread(999_999));
        error(ErrorKind.NOT_FOUND, () -> held.step(999_999, StepKind.OVER));
    }

    @Test
    void aBadFrameIndex() {
        assertThat(error(ErrorKind.NOT_FOUND, () -> held.variables(heldThread, 5)).getMessage())
                .isEqualTo("There is no frame 5; the stack has 1 frame (0 is the top).");
        error(ErrorKind.NOT_FOUND, () -> held.evaluate(heldThread, -1, "count"));
    }

    @Test
    void readingARunningThread() {
        assertThat(error(ErrorKind.BAD_STATE, () -> running.stackTrace(runningMain)).getMessage())
                .isEqualTo("Thread " + runningMain + " is running; wait for a stop or pause it to read its stack.");
        error(ErrorKind.BAD_STATE, () -> running.variables(runningMain, 0));
        error(ErrorKind.BAD_STATE, () -> running.evaluate(runningMain, 0, "total"));
        assertThat(error(ErrorKind.BAD_STATE, () -> running.step(runningMain, StepKind.INTO)).getMessage())
                .isEqualTo("Thread " + runningMain + " is running; steps need a stopped thread, so wait for a stop or pause first.");

        running.pauseThread(runningMain);
        assertThat(running.stackTrace(runningMain)).extracting(f -> f.location().method()).contains("main");
    }

    @Test
    void aValueFromAnEarlierStop() {
        running.pause();
        Frame main = mainFrame();
        Value args = running.variables(runningMain, main.index()).get(0).value();
        assertThat(args.render()).isEqualTo("String[0] {}");
        assertThat(running.children(args.ref(), 0)).isEmpty();
        running.resume();
        running.pause();

        assertThat(error(ErrorKind.NOT_FOUND, () -> running.children(args.ref(), 0)).getMessage())
                .isEqualTo("Value @" + args.ref() + " is from an earlier stop or was never shown; print it again.");
        assertThat(error(ErrorKind.NOT_FOUND, () -> running.children(123_456_789, 0)).getMessage())
                .isEqualTo("Value @123456789 is from an earlier stop or was never shown; print it again.");
        Value fresh = running.variables(runningMain, mainFrame().index()).get(0).value();
        assertThat(running.children(fresh.ref(), 0)).isEmpty();
    }

    private Frame mainFrame() {
        return running.stackTrace(runningMain).stream().filter(f -> f.location().method().equals("main")).findFirst().orElseThrow();
    }

    @Test
    void anUnknownNameListsTheVisibleOnes() {
        assertThat(evalError(ErrorKind.NOT_FOUND, "nosuch")).isEqualTo("No variable, field or class named 'nosuch' is visible in main;"
                + " visible here: args, count, big, ratio, small, letter, quote, flag, tiny, mid, text, nothing, boxed, status,"
                + " numbers, words, grid, manyLongs, list, linked, map, ordered, sorted, immutableSet, immutableList, big100,"
                + " customer, order.");
        assertThat(evalError(ErrorKind.NOT_FOUND, "order.nope"))
                .isEqualTo("dev.sonde.fixtures.Variables$Order has no field 'nope'; its fields are: created, id, customer, items, status.");
        assertThat(evalError(ErrorKind.NOT_FOUND, "Order.nope"))
                .isEqualTo("Class dev.sonde.fixtures.Variables$Order has no static field 'nope'.");
        assertThat(evalError(ErrorKind.NOT_FOUND, "numbers.size")).isEqualTo("Arrays have only 'length', not 'size'.");
    }

    @Test
    void aMalformedExpression() {
        assertThat(evalError(ErrorKind.INVALID_INPUT, "order.")).startsWith("Cannot parse 'order.' as a Java expression (")
                .endsWith("); check it, for example order.items[0].");
        assertThat(evalError(ErrorKind.INVALID_INPUT, "a +* b")).startsWith("Cannot parse 'a +* b' as a Java expression (");
        assertThat(evalError(ErrorKind.INVALID_INPUT, "-order")).isEqualTo("'-order' puts a sign on something that is not a number.");
        assertThat(evalError(ErrorKind.INVALID_INPUT, "  ")).isEqualTo("Nothing to evaluate; give an expression such as order.items[0].");
        assertThat(evalError(ErrorKind.INVALID_INPUT, "Order"))
                .isEqualTo("'Order' names the class dev.sonde.fixtures.Variables$Order, not a value; print one of its static fields instead.");
        assertThat(evalError(ErrorKind.INVALID_INPUT, "x -> x"))
                .isEqualTo("`x -> x` is a lambda, which Sonde evaluates only as a method's argument, such as list.stream().filter(x -> x.quantity > 2).count().");
    }

    @Test
    void aNullInAFieldChain() {
        assertThat(evalError(ErrorKind.BAD_STATE, "customer.parent.parent.name"))
                .isEqualTo("customer.parent.parent is null, so .name cannot be read.");
        assertThat(evalError(ErrorKind.BAD_STATE, "nothing.length")).isEqualTo("nothing is null, so .length cannot be read.");
        assertThat(evalError(ErrorKind.BAD_STATE, "words[1].hash")).isEqualTo("words[1] is null, so .hash cannot be read.");
    }

    @Test
    void anArrayIndexOutOfBounds() {
        // Java's own exception and message, as the target would throw it.
        assertThat(threw("numbers[3]")).isEqualTo("`numbers[3]` threw java.lang.ArrayIndexOutOfBoundsException: Index 3 out of bounds for length 3.");
        assertThat(threw("numbers[-1]")).isEqualTo("`numbers[-1]` threw java.lang.ArrayIndexOutOfBoundsException: Index -1 out of bounds for length 3.");
        assertThat(threw("grid[1][1]")).isEqualTo("`grid[1][1]` threw java.lang.ArrayIndexOutOfBoundsException: Index 1 out of bounds for length 1.");
        assertThat(evalError(ErrorKind.INVALID_INPUT, "numbers[\"a\"]")).isEqualTo("Index \"a\" is not an int.");
        assertThat(evalError(ErrorKind.INVALID_INPUT, "list[0]"))
                .isEqualTo("list is a java.util.ArrayList, not an array; only arrays can be indexed.");
    }

    private String threw(String expression) {
        SondeException error = Targets.failure(() -> held.evaluate(heldThread, 0, expression));
        assertThat(error.kind()).as(error.getMessage()).isEqualTo(ErrorKind.TARGET_THREW);
        return error.getMessage();
    }
}
