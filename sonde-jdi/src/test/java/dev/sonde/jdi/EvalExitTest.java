package dev.sonde.jdi;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.fixtures.Quitter;
import dev.sonde.fixtures.Sleeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.sonde.jdi.Targets.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Evaluating a call that ends the VM: refused once with a sentence saying how to insist, then, insisted on, the target
 * exits with its own code, without the JDWP agent crashing (which left exit code 134 and an hs_err file).
 */
class EvalExitTest {

    @Test
    void systemExitIsRefusedOnceThenEndsTheTargetWithItsCodeAndNoCrash(@TempDir Path workingDirectory) throws IOException {
        try (ServerManager servers = new ServerManager()) {
            Session session = launchIn(workingDirectory, servers, "exit", Sleeper.class);
            try {
                long thread = napping(session, Sleeper.class);

                SondeException refused = Targets.failure(() -> session.evaluate(thread, 0, "System.exit(3)"));
                assertThat(refused.kind()).isEqualTo(ErrorKind.BAD_STATE);
                assertThat(refused.getMessage()).isEqualTo("`System.exit(3)` calls System.exit, which ends the target VM, so Sonde"
                        + " did not run it; evaluate the same expression again within 30 s to run it anyway.");
                SondeException halt = Targets.failure(() -> session.evaluate(thread, 0, "Runtime.getRuntime().halt(4)"));
                assertThat(halt.getMessage()).startsWith("`Runtime.getRuntime().halt(4)` calls Runtime.halt, which ends the target VM");
                assertThat(session.evaluate(thread, 0, "1 + 1").render()).as("the session goes on").isEqualTo("2");

                // Insisted on: the exit runs on a thread of its own, and the evaluation returns (or sees the VM go).
                catchThrowable(() -> session.evaluate(thread, 0, "System.exit(3)"));

                Event.Terminated end = Targets.terminated(session);
                assertThat(end.exitCode()).as(end.toString()).isEqualTo(3);
                assertNoCrashFileIn(workingDirectory);
            } finally {
                session.close();
            }
        }
    }

    @Test
    void aMethodThatExitsIsNotInterruptedSoTheTargetDoesNotCrash(@TempDir Path workingDirectory) throws IOException {
        try (ServerManager servers = new ServerManager()) {
            Session session = launchIn(workingDirectory, servers, "quit", Quitter.class);
            try {
                long thread = napping(session, Quitter.class);

                SondeException stuck = Targets.failure(() -> session.evaluate(thread, 0, "Quitter.quit(4)"));
                assertThat(stuck.kind()).isEqualTo(ErrorKind.TIMEOUT);
                assertThat(stuck.getMessage()).isEqualTo("`Quitter.quit(4)` began shutting the target VM down, which cannot finish"
                        + " inside an evaluation (the JDWP agent waits for the evaluation to end) and would crash if interrupted;"
                        + " Sonde leaves it alone, so end the target with kill.");
            } finally {
                session.close();
            }
            Event.Terminated end = Targets.terminated(session);
            assertThat(end.exitCode()).as("not the crash's 134: %s", end).isNotEqualTo(134);
            assertNoCrashFileIn(workingDirectory);
        }
    }

    /** Launches {@code fixture} held before main, in {@code workingDirectory} (where a crash would leave its hs_err file). */
    private static Session launchIn(Path workingDirectory, ServerManager servers, String name, Class<?> fixture) {
        JvmLaunchSpec spec = JvmLaunchSpec.of(Targets.javaArgs(fixture)).withWorkingDirectory(workingDirectory);
        return Session.connect(name, JdiConnector.launch(spec, servers, JdiOptions.DEFAULT),
                SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE), Targets.WAIT);
    }

    /** Runs the held fixture to its {@code nap} marker and returns the thread stopped there. */
    private static long napping(Session session, Class<?> fixture) {
        Targets.stopped(session);
        session.addBreakpoint(fixture.getSimpleName() + ".java:" + line(fixture, "nap"));
        return Targets.resumeToStop(session).thread().id();
    }

    private static void assertNoCrashFileIn(Path workingDirectory) throws IOException {
        try (Stream<Path> files = Files.list(workingDirectory)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("hs_err"));
        }
    }
}
