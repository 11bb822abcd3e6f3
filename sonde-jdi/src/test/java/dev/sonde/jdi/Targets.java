package dev.sonde.jdi;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.fixtures.Markers;
import org.assertj.core.api.ThrowableAssert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Starts fixture programs under the debugger for tests. */
final class Targets {

    static final Duration WAIT = Duration.ofSeconds(20);

    private Targets() {
    }

    /** The java arguments that run a fixture's main class with the given program arguments. */
    static List<String> javaArgs(Class<?> mainClass, String... args) {
        List<String> javaArgs = new ArrayList<>(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                Markers.classPath().toString(), mainClass.getName()));
        javaArgs.addAll(List.of(args));
        return javaArgs;
    }

    /** Launches a fixture held before main and returns a connected session that ends the JVM on close. */
    static Session launch(ServerManager servers, Class<?> mainClass, String... args) {
        return launch(servers, JdiOptions.DEFAULT, mainClass, args);
    }

    /** Like {@link #launch(ServerManager, Class, String...)} with backend options of the test's choosing. */
    static Session launch(ServerManager servers, JdiOptions options, Class<?> mainClass, String... args) {
        return Session.connect(mainClass.getSimpleName(),
                JdiConnector.launch(JvmLaunchSpec.of(javaArgs(mainClass, args)), servers, options),
                SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE), WAIT);
    }

    /** Starts a fixture under a debug server that does not wait for a debugger. */
    static DebugServer serve(ServerManager servers, Output output, Class<?> mainClass, String... args) {
        return servers.start(JvmLaunchSpec.of(javaArgs(mainClass, args)), output);
    }

    /** Attaches to a listening target; closing the session detaches. */
    static Session attach(HostPort address) {
        return Session.connect("attach " + address, JdiConnector.attach(address, JdiOptions.DEFAULT), SessionOptions.DEFAULT, WAIT);
    }

    /** Waits for the session to stop and returns the stop. */
    static Event.Stopped stopped(Session session) {
        WaitOutcome outcome = session.awaitStop(WAIT);
        assertThat(outcome).as("waiting for a stop").isInstanceOf(WaitOutcome.Stopped.class);
        return ((WaitOutcome.Stopped) outcome).event();
    }

    /** Resumes and waits for the next stop. */
    static Event.Stopped resumeToStop(Session session) {
        session.resume();
        return stopped(session);
    }

    /** Waits for the session to end and returns how it ended (as awaitStop reports it from then on, too). */
    static Event.Terminated terminated(Session session) {
        Event.Terminated end;
        try {
            end = session.terminated().get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the session did not end within " + WAIT, e);
        }
        assertThat(session.awaitStop(Duration.ZERO)).isEqualTo(new WaitOutcome.Terminated(end));
        return end;
    }

    /** The SondeException a call throws (failing the test when it throws nothing or something else). */
    static SondeException failure(ThrowableAssert.ThrowingCallable call) {
        SondeException error = catchThrowableOfType(SondeException.class, call);
        assertThat(error).as("expected a SondeException").isNotNull();
        return error;
    }

    /** The line of a marker, as text for a breakpoint spec. */
    static int line(Class<?> fixture, String marker) {
        return Markers.line(fixture, marker);
    }

    /** The first line of a fixture's source containing {@code text} (for lines without a marker). */
    static int lineContaining(Class<?> fixture, String text) {
        List<String> lines = Markers.source(fixture);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no '" + text + "' in " + fixture.getSimpleName() + ".java");
    }

    /** Variables by name, for assertions. */
    static <T> Map<String, T> byName(List<dev.sonde.core.model.Variable> variables,
                                     Function<dev.sonde.core.model.Variable, T> what) {
        return variables.stream().collect(Collectors.toMap(dev.sonde.core.model.Variable::name, what, (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    /** Rendered values by variable name. */
    static Map<String, String> rendered(List<dev.sonde.core.model.Variable> variables) {
        return byName(variables, v -> v.value().render());
    }
}
