package dev.sonde.cli;

import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Console errors say what was actually wrong, against a real target that stays fine throughout. */
class ConsoleMessagesTest {

    @Test
    void errorsSayWhatWasWrongAndTheSessionGoesOn() {
        int line = Markers.line(Counter.class, "tick-body");
        String longName = "x".repeat(5000);
        Cli.Run run = Cli.run(Cli.input(
                        "break Counter.java:" + line,
                        "cont",
                        "wait",
                        "down -5",
                        "up 0",
                        "set round =",
                        "print new int[2000000000]",
                        "print " + "(".repeat(500) + "1" + ")".repeat(500),
                        "print 1" + " + 1".repeat(999),
                        longName,
                        "print round + 40",
                        "quit"),
                Cli.withTarget(List.of("debug"), Counter.class, "5", "0"));

        assertThat(run.out()).as(run.toString()).contains("round + 40 = 40");
        assertThat(run.err())
                .contains("error: The frame count must be positive, not -5; `up N` goes N frames toward the callers,"
                        + " `down N` back toward the top.")
                .contains("error: The frame count must be positive, not 0;")
                .contains("error: No value after '=' for round; write it as set NAME = EXPR, for example set round = 10.")
                .contains("error: `new int[2000000000]` threw java.lang.OutOfMemoryError: the target's heap has no room for"
                        + " 2000000000 elements; the target itself runs on.")
                .contains("error: The expression nests 500 levels deep; Sonde evaluates at most 100 levels, so split it into"
                        + " smaller expressions.")
                .contains("error: The expression nests 1000 levels deep;")
                .contains("error: Unknown command '" + "x".repeat(40) + "… (5000 characters)'; `help` lists the commands.")
                .doesNotContain("x".repeat(41))
                .doesNotContain("Internal error")
                .doesNotContain("outermost")
                .doesNotContain("lambda");
    }
}
