package dev.sonde.core.breakpoints;

import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.List;

/**
 * A logpoint's message: text with {@code {expression}} parts. {@code {{} and {@code }}} stand for literal
 * braces; braces inside an expression nest ({@code {new int[]{1, 2}.length}}).
 */
public record LogTemplate(String source, List<Part> parts) {

    /** A piece of the message. */
    public sealed interface Part {
    }

    public record Text(String text) implements Part {
    }

    public record Expression(String source) implements Part {
    }

    public LogTemplate {
        parts = List.copyOf(parts);
    }

    /** The expressions, in order. */
    public List<String> expressions() {
        return parts.stream().filter(Expression.class::isInstance).map(p -> ((Expression) p).source()).toList();
    }

    public static LogTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                text.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                text.append('}');
                i += 2;
            } else if (c == '}') {
                throw SondeException.invalidInput("The log message has a '}' with no '{' at position " + (i + 1)
                        + "; write }} for a literal brace.");
            } else if (c == '{') {
                int depth = 1;
                int end = i + 1;
                while (end < template.length() && depth > 0) {
                    char inner = template.charAt(end);
                    if (inner == '"' || inner == '\'') {
                        end = skipQuoted(template, end);
                        continue;
                    }
                    depth += inner == '{' ? 1 : inner == '}' ? -1 : 0;
                    end++;
                }
                if (depth > 0) {
                    throw SondeException.invalidInput("The log message has an unclosed '{' at position " + (i + 1)
                            + "; close it, or write {{ for a literal brace.");
                }
                String expression = template.substring(i + 1, end - 1).strip();
                if (expression.isEmpty()) {
                    throw SondeException.invalidInput("The log message has an empty {} at position " + (i + 1)
                            + "; put an expression inside, like {order.id}.");
                }
                if (!text.isEmpty()) {
                    parts.add(new Text(text.toString()));
                    text.setLength(0);
                }
                parts.add(new Expression(expression));
                i = end;
            } else {
                text.append(c);
                i++;
            }
        }
        if (!text.isEmpty()) {
            parts.add(new Text(text.toString()));
        }
        return new LogTemplate(template, parts);
    }

    /** The index just after the string or char literal that starts at {@code start}. */
    private static int skipQuoted(String template, int start) {
        char quote = template.charAt(start);
        int i = start + 1;
        while (i < template.length() && template.charAt(i) != quote) {
            i += template.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, template.length());
    }
}
