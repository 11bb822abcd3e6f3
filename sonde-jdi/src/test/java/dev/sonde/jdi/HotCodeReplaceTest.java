package dev.sonde.jdi;

import dev.sonde.core.backend.StepKind;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.hotswap.ClassFiles;
import dev.sonde.core.hotswap.Redefinition;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.sonde.jdi.Targets.failure;
import static dev.sonde.jdi.Targets.resumeToStop;
import static dev.sonde.jdi.Targets.stopped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changing the running program: hot code replace of a class compiled during the test, the JVM's refusal of a schema
 * change, restarting a frame, and the value a method returned after a step out and at a method-exit stop.
 */
class HotCodeReplaceTest {

    /** A program whose {@code total} returns {@code TOTAL}; a test compiles it with other values (and other shapes). */
    private static final String SHOP = """
            package hcr;

            public class Shop {
                FIELDS
                public static void main(String[] args) throws Exception {
                    for (int round = 0; round < 100000; round++) {
                        int sum = total(round);
                        Thread.sleep(sum < 0 ? 1 : 0); // @mark after-total
                    }
                }

                static int total(int round) {
                    int base = round * 0; // @mark total-body
                    return base + TOTAL;
                }
            }
            """;

    private final ServerManager servers = new ServerManager();

    @TempDir
    Path directory;

    @AfterEach
    void stopEverything() {
        servers.close();
    }

    @Test
    void aChangedMethodBodyRunsAfterTheRedefinitionAndBreakpointsStaySet() throws IOException {
        Path classes = compile("1", "");
        try (Session session = launch(classes)) {
            stopped(session);
            session.addBreakpoint("Shop.java:" + line("after-total"));
            Event.Stopped stop = resumeToStop(session);
            long thread = stop.thread().id();
            assertThat(session.evaluate(thread, 0, "sum").render()).isEqualTo("1");

            Redefinition result = session.redefineClasses(ClassFiles.read(List.of(compile("2", ""))));

            assertThat(result).isInstanceOf(Redefinition.Replaced.class);
            Redefinition.Replaced replaced = (Redefinition.Replaced) result;
            assertThat(replaced.classes()).containsExactly("hcr.Shop");
            assertThat(replaced.staleFrames()).as("main's code did not change").isEmpty();
            assertThat(replaced.summary()).isEqualTo("Replaced 1 class (hcr.Shop).");
            stop = resumeToStop(session);
            assertThat(stop.reason()).as("the breakpoint is set again in the new code").isEqualTo(StopReason.BREAKPOINT);
            assertThat(session.evaluate(thread, 0, "sum").render()).isEqualTo("2");

            Redefinition again = session.redefineClasses(ClassFiles.read(List.of(compile("2", ""))));
            assertThat(again.summary()).isEqualTo("Nothing to replace: 1 class unchanged since last sent.");
        }
    }

    @Test
    void aSchemaChangeIsRefusedInOneSentenceAndTheOldCodeRunsOn() throws IOException {
        Path classes = compile("1", "");
        try (Session session = launch(classes)) {
            stopped(session);
            session.addBreakpoint("Shop.java:" + line("after-total"));
            long thread = resumeToStop(session).thread().id();

            Redefinition result = session.redefineClasses(ClassFiles.read(List.of(compile("2", "int added;"))));

            assertThat(result).isInstanceOf(Redefinition.Refused.class);
            assertThat(result.summary()).isEqualTo("The JVM refused the new hcr.Shop: it adds, removes or changes a field,"
                    + " and hot code replace only changes method bodies; restart the program to run this change.");
            resumeToStop(session);
            assertThat(session.evaluate(thread, 0, "sum").render()).isEqualTo("1");
        }
    }

    @Test
    void aFrameRunningOldCodeIsNamedAndRestartingItRunsTheNewCodeWhoseReturnValueFinishShows() throws IOException {
        Path classes = compile("1", "");
        try (Session session = launch(classes)) {
            stopped(session);
            int inTotal = session.addBreakpoint("Shop.java:" + line("total-body")).id();
            long thread = resumeToStop(session).thread().id();
            session.removeBreakpoint(inTotal);

            Redefinition.Replaced replaced = (Redefinition.Replaced) session.redefineClasses(ClassFiles.read(List.of(compile("7", ""))));

            assertThat(replaced.staleFrames()).singleElement().satisfies(frame -> {
                assertThat(frame.frameIndex()).isZero();
                assertThat(frame.method()).isEqualTo("Shop.total");
                assertThat(frame.threadId()).isEqualTo(thread);
            });
            assertThat(replaced.summary()).endsWith("1 frame still runs the old code (main#0 Shop.total); `restart frame` re-enters it.");
            assertThat(session.stackTrace(thread).get(0).location().method()).as("JDI calls it <obsolete>").isEqualTo("total");

            session.restartFrame(thread, 0);
            Event.Stopped restarted = stopped(session);
            assertThat(restarted.reason()).isEqualTo(StopReason.STEP);
            assertThat(restarted.location().method()).isEqualTo("total");
            assertThat(restarted.location().line()).isEqualTo(line("total-body"));

            session.step(thread, StepKind.OUT);
            Event.Stopped back = stopped(session);
            assertThat(back.location().method()).isEqualTo("main");
            List<Variable> locals = session.variables(thread, 0);
            assertThat(locals.get(0).name()).isEqualTo("<return> Shop.total()");
            assertThat(locals.get(0).kind()).isEqualTo(VariableKind.RETURN_VALUE);
            assertThat(locals.get(0).value().render()).as("the new code ran").isEqualTo("7");

            session.step(thread, StepKind.OVER);
            stopped(session);
            assertThat(session.variables(thread, 0)).extracting(Variable::kind).doesNotContain(VariableKind.RETURN_VALUE);
        }
    }

    @Test
    void theBottomFrameCannotBeRestartedAndAMethodExitStopShowsItsReturnValue() throws IOException {
        Path classes = compile("5", "");
        try (Session session = launch(classes)) {
            stopped(session);
            session.addBreakpoint("hcr.Shop.total exit");
            long thread = resumeToStop(session).thread().id();

            assertThat(session.variables(thread, 0).get(0)).satisfies(returned -> {
                assertThat(returned.name()).isEqualTo("<return> Shop.total()");
                assertThat(returned.value().render()).isEqualTo("5");
            });
            int bottom = session.stackTrace(thread).size() - 1;
            assertThat(failure(() -> session.restartFrame(thread, bottom)).getMessage())
                    .isEqualTo("Frame " + bottom + " (main) is the bottom of the stack: no caller can call it again, so it cannot"
                            + " be restarted; restart a frame above it.");
            assertThat(failure(() -> session.restartFrame(thread, 99)).getMessage()).startsWith("There is no frame 99;");
        }
    }

    private Session launch(Path classes) {
        List<String> javaArgs = List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classes.toString(), "hcr.Shop");
        return Session.connect("Shop", JdiConnector.launch(JvmLaunchSpec.of(javaArgs), servers, JdiOptions.DEFAULT),
                SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE), Targets.WAIT);
    }

    private static int line(String marker) {
        List<String> lines = SHOP.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("// @mark " + marker)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no marker " + marker);
    }

    /** Compiles Shop with {@code total} returning {@code total} and {@code fields} declared, into a directory of its own. */
    private Path compile(String total, String fields) throws IOException {
        Path out = Files.createTempDirectory(directory, "classes");
        Path source = out.resolve("src/hcr/Shop.java");
        Files.createDirectories(source.getParent());
        // FIELDS stays on its line, so the line numbers are the same in every version.
        Files.writeString(source, SHOP.replace("TOTAL", total).replace("FIELDS", fields));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, "-g", "--release", "17", "-d", out.resolve("classes").toString(), source.toString());
        assertThat(status).as(errors.toString()).isZero();
        return out.resolve("classes");
    }

}
