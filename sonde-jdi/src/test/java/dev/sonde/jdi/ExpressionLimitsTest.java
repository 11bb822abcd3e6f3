package dev.sonde.jdi;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.jdi.eval.Evaluator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The expression front end refuses what it cannot handle with a sentence, at once, before parsing runs away. */
class ExpressionLimitsTest {

    private final Evaluator evaluator = new Evaluator();

    @Test
    void deepParenthesesAreRefusedWithASentence() {
        String deep = "(".repeat(500) + "1" + ")".repeat(500);
        SondeException refused = Targets.failure(() -> evaluator.compile(deep));
        assertThat(refused.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(refused.getMessage()).isEqualTo("The expression nests 500 levels deep; Sonde evaluates at most 100 levels,"
                + " so split it into smaller expressions.");
    }

    @Test
    void aLongChainOfOperatorsIsRefusedWithASentence() {
        String sum = "1" + " + 1".repeat(999);
        SondeException refused = Targets.failure(() -> evaluator.compile(sum));
        assertThat(refused.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(refused.getMessage()).isEqualTo("The expression nests 1000 levels deep; Sonde evaluates at most 100 levels,"
                + " so split it into smaller expressions.");
    }

    @Test
    void expressionsNearTheLimitsStillCompile() {
        evaluator.compile("(".repeat(90) + "1" + ")".repeat(90));
        evaluator.compile("1" + " + 1".repeat(80));
        evaluator.compile("\"" + "(".repeat(300) + "\" + 1");
    }

    @Test
    void aHugeExpressionIsRefusedAtOnceBySize() {
        String huge = "1 + " + "x".repeat(10 * 1024 * 1024);
        long started = System.nanoTime();
        SondeException refused = Targets.failure(() -> evaluator.compile(huge));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(refused.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(refused.getMessage()).isEqualTo("The expression is 10,240 KiB long; Sonde evaluates at most 64 KiB,"
                + " so shorten it.");
        assertThat(millis).as("refused without parsing").isLessThan(1000);
    }
}
