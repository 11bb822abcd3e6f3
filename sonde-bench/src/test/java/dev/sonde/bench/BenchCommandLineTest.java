package dev.sonde.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code ./sonde bench} command line: its help, its one-line errors, and one real run printed as users see it. */
class BenchCommandLineTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Bench.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryBenchmarkInsteadOfRunningOne() throws Exception {
        assertThat(run("nonstop", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("./sonde bench roundtrip", "./sonde bench nonstop", "./sonde bench dap", "./sonde bench jmh");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void badArgumentsGetOneSentenceAndStatusTwo() throws Exception {
        assertThat(run("nonstop", "--seconds")).isEqualTo(2);
        assertThat(run("roundtrip", "--hits", "many")).isEqualTo(2);
        assertThat(run("dap", "--speed", "3")).isEqualTo(2);
        assertThat(run("everything")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "sonde-bench: option --seconds needs a value; run with --help for the options.",
                "sonde-bench: option --hits takes a positive number, not 'many'; run with --help for the options.",
                "sonde-bench: unknown option --speed (this benchmark takes --hits, --rounds, --warmup); run with --help for the options.",
                "sonde-bench: no benchmark called 'everything'; pick roundtrip, nonstop, dap, dap-requests, dashboard, agent, async, snapshot or jmh (--help lists them).");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aTinyRoundTripPrintsBothMethodsAndTheGoal() throws Exception {
        assertThat(run("roundtrip", "--hits", "10", "--rounds", "1", "--warmup", "5")).isZero();
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("raw JDI", "Session", "goal: Session API within 1.25x of raw JDI");
    }
}
