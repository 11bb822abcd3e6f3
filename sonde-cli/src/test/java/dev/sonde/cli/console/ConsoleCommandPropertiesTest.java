package dev.sonde.cli.console;

import dev.sonde.core.event.Event;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.core.session.SessionState;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Markers;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The console's command parser on any line, against a real target stopped at a breakpoint: every line gives a reply
 * or a one-sentence error, never an exception and never a hang, and bad input loses no state: the target stays
 * stopped where it was. Commands that move or end the target on purpose are left out (they are not parsing).
 */
class ConsoleCommandPropertiesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration BOUND = Duration.ofSeconds(15);
    /** Commands whose job is to run, step, wait on or end the target: a well-formed one would change what is checked. */
    private static final Set<String> MOVING = Set.of("cont", "c", "continue", "next", "n", "step", "s", "finish", "fin",
            "pause", "wait", "w", "detach", "kill", "quit", "q", "exit", "restart");

    private static ServerManager servers;
    private static Session session;
    private static ConsoleCommands console;
    private static Event.Stopped stop;

    @BeforeContainer
    static void stopInTick() {
        servers = new ServerManager();
        List<String> args = List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), Counter.class.getName());
        session = Session.connect("properties", JdiConnector.launch(JvmLaunchSpec.of(args), servers, JdiOptions.DEFAULT),
                SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE), WAIT);
        console = new ConsoleCommands(session, Duration.ofSeconds(1));
        assertThat(session.awaitStop(WAIT)).isInstanceOf(WaitOutcome.Stopped.class);
        session.addBreakpoint("Counter.java:" + Markers.line(Counter.class, "tick-body"));
        session.resume();
        stop = ((WaitOutcome.Stopped) session.awaitStop(WAIT)).event();
    }

    @AfterContainer
    static void end() {
        session.close();
        servers.close();
    }

    @AfterTry
    void dropWhatTheTryAdded() {
        // Breakpoints a generated line set stay off the target's path (it is stopped), but not in the next try's way.
        session.breakpoints().stream().filter(b -> !stop.breakpointIds().contains(b.id()))
                .forEach(b -> session.removeBreakpoint(b.id()));
    }

    @Property(tries = 300)
    void anyLineGivesAReplyOrOneSentenceAndKeepsTheStop(@ForAll("lines") String line) {
        String word = line.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        net.jqwik.api.Assume.that(!MOVING.contains(word));

        Outcome outcome = assertTimeoutPreemptively(BOUND, () -> console.execute(line), () -> "running " + quoted(line));

        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            assertThat(outcome).isNull();
        } else if (outcome instanceof Outcome.Failed failed) {
            String message = failed.error().getMessage();
            assertThat(message).as("the error for %s", quoted(line)).isNotBlank().endsWith(".")
                    .doesNotContain("Internal error", "Exception", "\tat ");
            // What the user typed may be echoed as typed; the rest is one line.
            assertThat(message.replace(text, "")).as("the error for %s", quoted(line)).doesNotContain("\n");
        } else {
            assertThat(outcome).as("the outcome of %s", quoted(line)).isInstanceOf(Outcome.Ok.class);
        }
        assertThat(session.state()).as("after %s", quoted(line)).isEqualTo(SessionState.STOPPED);
        assertThat(session.currentStop()).as("after %s", quoted(line)).contains(stop);
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> known = Arbitraries.of(console.names()).filter(name -> !MOVING.contains(name));
        Arbitrary<String> misspelt = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
                .filter(word -> !MOVING.contains(word));
        // A console line holds no line break: the console and --exec split on them before parsing.
        Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(60).map(s -> s.replaceAll("[\\r\\n]", " "));
        Arbitrary<String> words = Arbitraries.of("Counter.java:" + Markers.line(Counter.class, "tick-body"), "Counter.java:0",
                "Counter.java:-1", "Counter.java:99999999999", "Counter.tick", "dev.sonde.fixtures.Counter:12", "Nope.java:3",
                "if", "hits", "every", "after", "exit", "max", "frames", "watch", "--no-invoke", "caught", "uncaught", "all",
                "--include", "--exclude", "access", "modify", "=", "round", "doubled", "label", "this", "round * 2", "1", "0",
                "-5", "2147483648", "\"text {round}\"", "\"{\"", "{", "}", "*", "java.lang.*", "Counter.round", "5s", "-1s",
                "forever", ",", "'", "\"", "\\", "(", ")", "[0]", "null", "info", "break", "#", "1e9");
        Arbitrary<String> argument = Arbitraries.frequencyOf(Tuple.of(6, words), Tuple.of(1, anything));
        Arbitrary<String> command = Arbitraries.frequencyOf(Tuple.of(6, known), Tuple.of(1, misspelt), Tuple.of(1, anything));
        return Combinators.combine(command, argument.list().ofMaxSize(6), Arbitraries.of(" ", "  ", "\t"))
                .as((name, arguments, space) -> name + (arguments.isEmpty() ? "" : space + String.join(" ", arguments)));
    }

    private static String quoted(String line) {
        return '"' + line.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"';
    }
}
