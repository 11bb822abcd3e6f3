package dev.sonde.jdi;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Frame;
import dev.sonde.fixtures.EvalFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sonde.jdi.Targets.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator's table ({@code eval/expressions.tsv}): every row is evaluated, in file order, against one EvalFixture
 * stopped in its anonymous class, where the frames below hold the lambda, the inner class and the rich locals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvalTableTest {

    /** One row: the frame (a marker of EvalFixture), the expression, and what it must give. */
    record Row(int line, String frame, String expression, String expected) {
        @Override
        public String toString() {
            return line + " [" + frame + "] " + expression.replace("\n", "⏎");
        }
    }

    private static final List<String> FRAMES = List.of("anonymous", "lambda", "inner", "run", "main");

    @RegisterExtension
    final EvalFixtureStop stop = new EvalFixtureStop();
    private final Map<String, Integer> frames = new HashMap<>();

    @BeforeAll
    void findTheFramesOfTheCallChain() {
        for (Frame frame : stop.session().stackTrace(stop.thread())) {
            for (String marker : FRAMES) {
                if ("EvalFixture.java".equals(frame.location().file()) && frame.location().line() == line(EvalFixture.class, marker)) {
                    frames.putIfAbsent(marker, frame.index());
                }
            }
        }
        assertThat(frames).as("the frames of the call chain").containsOnlyKeys(FRAMES);
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        String frame = "run";
        try (InputStream in = EvalTableTest.class.getResourceAsStream("/eval/expressions.tsv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("@frame ")) {
                    frame = line.substring("@frame ".length()).strip();
                    continue;
                }
                String[] columns = line.split("\t+", 2);
                assertThat(columns).as("line " + (i + 1) + " has an expression, a tab and an expectation").hasSize(2);
                rows.add(new Row(i + 1, frame, columns[0].replace("<NL>", "\n"), columns[1].strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * {@code = text}: the value renders as text; {@code ~ regex}: it matches; {@code ! KIND message}: the evaluation
     * fails with that kind and message (a message ending in "..." is a prefix).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void row(Row row) {
        int frame = frames.get(row.frame());
        char kind = row.expected().charAt(0);
        String expected = row.expected().substring(1).strip();
        switch (kind) {
            case '=' -> assertThat(stop.session().evaluate(stop.thread(), frame, row.expression()).render()).isEqualTo(expected);
            case '~' -> assertThat(stop.session().evaluate(stop.thread(), frame, row.expression()).render()).matches(expected);
            case '!' -> {
                SondeException error = Targets.failure(() -> stop.session().evaluate(stop.thread(), frame, row.expression()));
                String[] kindAndMessage = expected.split(" ", 2);
                assertThat(error.kind()).as(error.getMessage()).isEqualTo(ErrorKind.valueOf(kindAndMessage[0]));
                String message = kindAndMessage[1];
                if (message.endsWith("...")) {
                    assertThat(error.getMessage()).startsWith(message.substring(0, message.length() - 3));
                } else {
                    assertThat(error.getMessage()).isEqualTo(message);
                }
            }
            default -> throw new AssertionError("line " + row.line() + ": an expectation starts with =, ~ or !");
        }
    }
}
