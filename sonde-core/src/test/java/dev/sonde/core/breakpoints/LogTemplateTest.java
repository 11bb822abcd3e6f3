package dev.sonde.core.breakpoints;

import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogTemplateTest {

    @Test
    void textAndExpressions() {
        LogTemplate template = LogTemplate.parse("order {order.id} for {customer}: {{total}} {new int[]{1, 2}.length} {\"}\"}");
        assertThat(template.parts()).containsExactly(
                new LogTemplate.Text("order "), new LogTemplate.Expression("order.id"), new LogTemplate.Text(" for "),
                new LogTemplate.Expression("customer"), new LogTemplate.Text(": {total} "),
                new LogTemplate.Expression("new int[]{1, 2}.length"), new LogTemplate.Text(" "), new LogTemplate.Expression("\"}\""));
        assertThat(template.expressions()).containsExactly("order.id", "customer", "new int[]{1, 2}.length", "\"}\"");
    }

    @Test
    void plainText() {
        assertThat(LogTemplate.parse("just text").parts()).containsExactly(new LogTemplate.Text("just text"));
        assertThat(LogTemplate.parse("").parts()).isEqualTo(List.of());
    }

    @Test
    void malformedTemplatesSayWhereAndWhat() {
        assertThatThrownBy(() -> LogTemplate.parse("a {b")).isInstanceOf(SondeException.class)
                .hasMessage("The log message has an unclosed '{' at position 3; close it, or write {{ for a literal brace.");
        assertThatThrownBy(() -> LogTemplate.parse("a } b"))
                .hasMessage("The log message has a '}' with no '{' at position 3; write }} for a literal brace.");
        assertThatThrownBy(() -> LogTemplate.parse("x {} y"))
                .hasMessage("The log message has an empty {} at position 3; put an expression inside, like {order.id}.");
    }
}
