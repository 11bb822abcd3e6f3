package dev.sonde.cli;

import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The console reading commands from input (a pipe here; JLine takes over on a real terminal). */
class ConsoleTest {

    @Test
    void commandsFromInputDriveTheSession() {
        int line = Markers.line(Counter.class, "tick-body");
        Cli.Run run = Cli.run(Cli.input(
                        "help",
                        "break Counter.java:" + line,
                        "breakpoints",
                        "cont",
                        "wait",
                        "where",
                        "up",
                        "locals",
                        "down",
                        "down",
                        "frame 7",
                        "print round",
                        "finish",
                        "wait",
                        "thread 99999",
                        "stats",
                        "quit"),
                Cli.withTarget(List.of("debug"), Counter.class, "5", "0"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("break LOCATION")
                .contains("Breakpoint 1 pending: no class from Counter.java is loaded yet; it is set when one loads")
                .contains("Breakpoint 1 hit in thread 1 (main): Counter.tick (Counter.java:" + line + ")")
                .contains("→ #0  Counter.tick (Counter.java:" + line + ")")
                .contains("#1  Counter.main (Counter.java:" + Markers.line(Counter.class, "call-tick") + ")")
                .contains("limit = 5")
                .contains("round = 0")
                .contains("Stepped to Counter.main (Counter.java:" + Markers.line(Counter.class, "call-tick") + ")")
                .contains("hits          #1 1")
                .contains("Session ended: the target was killed.");
        assertThat(run.err())
                .contains("error: Already at the top frame (0); `up` goes toward the callers.")
                .contains("error: There is no frame 7; the stack has 2 frames (0 is the top).")
                .contains("error: There is no thread 99999; `threads` lists them.");
    }

    @Test
    void misspelledCommandGetsASuggestion() {
        Cli.Run run = Cli.run(Cli.input("wehre", "quit"), Cli.withTarget(List.of("debug"), Counter.class, "1", "0"));
        assertThat(run.err()).contains("error: Unknown command 'wehre' (did you mean `where`?); `help` lists the commands.");
        assertThat(run.exit()).isZero();
    }
}
