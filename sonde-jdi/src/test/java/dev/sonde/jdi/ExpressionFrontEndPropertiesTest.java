package dev.sonde.jdi;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.jdi.eval.CompiledExpression;
import dev.sonde.jdi.eval.Evaluator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.StringLength;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The expression front end (parse and compile, no target needed) on any text: it gives a compiled expression or a
 * one-sentence input or unsupported-construct error, never another exception and never a hang. Sizes are bounded: nesting deep enough to
 * overflow the parser's stack is refused by a limit of its own, tested where that limit lives.
 */
class ExpressionFrontEndPropertiesTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final Evaluator evaluator = new Evaluator();

    @Property(tries = 300)
    void anyTextCompilesOrIsRefusedInOneSentence(@ForAll @StringLength(max = 200) String source) {
        compilesOrIsRefused(source);
    }

    @Property(tries = 400)
    void javaLikeTokenSoupCompilesOrIsRefusedInOneSentence(@ForAll("tokenSoup") String source) {
        compilesOrIsRefused(source);
    }

    /** Found by the token soup: a text block echoed in an error broke the sentence across lines. */
    @net.jqwik.api.Example
    void aTextBlockInAnErrorStaysOnOneLine() {
        compilesOrIsRefused("\"\"\"\ntext\"\"\"++");
        compilesOrIsRefused("\"\"\"\ntext\"\"\" = 1");
    }

    @Provide
    Arbitrary<String> tokenSoup() {
        Arbitrary<String> identifiers = Arbitraries.of("a", "order", "items", "i", "x", "String", "Integer", "java", "lang",
                "System", "out", "length", "size", "get", "var", "_", "$x", "Ünïcode");
        Arbitrary<String> literals = Arbitraries.of("0", "1", "-1", "2147483648", "9223372036854775807L", "0x1F", "1e309",
                "1.5f", "'c'", "'\\n'", "\"s\"", "\"\\u0041\"", "\"\"\"\ntext\"\"\"", "true", "false", "null", "0b101", "07");
        Arbitrary<String> operators = Arbitraries.of("+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||",
                "!", "~", "&", "|", "^", "<<", ">>", ">>>", "=", "+=", "++", "--", "?", ":", "->", "::", ".", ",", ";");
        Arbitrary<String> brackets = Arbitraries.of("(", ")", "[", "]", "{", "}", "<", ">");
        Arbitrary<String> keywords = Arbitraries.of("new", "instanceof", "this", "super", "class", "int", "long", "double",
                "boolean", "char", "switch", "case", "default", "yield", "return", "final", "record", "when");
        Arbitrary<String> token = Arbitraries.frequencyOf(
                Tuple.of(4, identifiers), Tuple.of(3, literals), Tuple.of(4, operators),
                Tuple.of(4, brackets), Tuple.of(2, keywords));
        Arbitrary<String> space = Arbitraries.of("", "", " ", "\t", "\n");
        return Combinators.combine(token, space).as((t, s) -> t + s).list().ofMaxSize(60).map(parts -> String.join("", parts));
    }

    private void compilesOrIsRefused(String source) {
        Object outcome = assertTimeoutPreemptively(BOUND, () -> {
            try {
                return evaluator.compile(source);
            } catch (SondeException refused) {
                return refused;
            }
        }, () -> "compiling " + quoted(source) + " did not end within " + BOUND);
        if (outcome instanceof CompiledExpression compiled) {
            assertThat(compiled.source()).isEqualTo(source);
            return;
        }
        SondeException refused = (SondeException) outcome;
        // Not Java, or Java the evaluator does not run (a lambda, say): either is the user's to change.
        assertThat(refused.kind()).as("the error kind for %s", quoted(source)).isIn(ErrorKind.INVALID_INPUT, ErrorKind.UNSUPPORTED);
        // The source is echoed in quotes (line breaks written as \n); apart from it the message is one line ending in a
        // full stop. Only the quoted echo is set aside: a source such as "." also occurs in the rest of the sentence.
        String message = refused.getMessage();
        String sentence = message.replace("'" + source + "'", "'SOURCE'");
        assertThat(sentence).as("the error for %s", quoted(source)).doesNotContain("\n", "\r", "Internal error", "Exception")
                .endsWith(".");
    }

    private static String quoted(String source) {
        return '"' + source.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"';
    }
}
