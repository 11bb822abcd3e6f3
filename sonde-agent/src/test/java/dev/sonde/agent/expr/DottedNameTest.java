package dev.sonde.agent.expr;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.Expression;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Names built without the parser are the parser's nodes, ranges included; anything else is left to the parser. */
class DottedNameTest {

    private static final JavaParser PARSER = new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));

    @Test
    void namesAreBuiltAsTheParserBuildsThem() {
        for (String source : List.of("i", "name", "order.total", "a.b.c.d", "$x", "_y1", "java.util.List", "Math.PI", "x1.$y._z")) {
            Expression built = ExprCompiler.dottedName(source);
            Expression parsed = PARSER.parseExpression(source).getResult().orElseThrow();
            assertThat(built).as(source).isEqualTo(parsed);
            assertThat(ranges(built)).as(source + " ranges").isEqualTo(ranges(parsed));
        }
    }

    @Test
    void anythingElseIsLeftToTheParser() {
        for (String source : List.of("this", "this.total", "true", "null", "int", "a.class", "a .b", " a", "a.b()", "a[0]", "a+b",
                "1", "a.", ".a", "a..b", "new.x", "x.super", "é", "var", "record.x")) {
            assertThat(ExprCompiler.dottedName(source)).as(source).isNull();
        }
    }

    private static List<String> ranges(Node node) {
        List<String> ranges = new ArrayList<>();
        node.walk(n -> ranges.add(n.getClass().getSimpleName() + n.getRange().map(Object::toString).orElse("none")));
        return ranges;
    }
}
