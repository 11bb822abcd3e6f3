package dev.sonde.cli.probe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a console line {@code log LOC "text {expr}" [if EXPR] [limit N]}. The condition is taken from the
 * line as typed, so its string literals keep their quotes.
 */
record LogArguments(String location, String text, String condition, String limit) {

    private static final Pattern HEAD = Pattern.compile("\\s*log\\s+(\\S+)\\s+");
    private static final Pattern LIMIT = Pattern.compile("(?:^|\\s)limit\\s+(\\S+)\\s*$");
    private static final Pattern IF = Pattern.compile("(?:^|\\s)if\\s");

    static LogArguments parse(String line) {
        Matcher head = HEAD.matcher(line);
        if (!head.lookingAt()) {
            throw new IllegalArgumentException("log needs a line and a text: log Orders.java:42 \"total {total}\".");
        }
        String location = head.group(1);
        String rest = line.substring(head.end());
        String text;
        if (rest.startsWith("\"")) {
            StringBuilder quoted = new StringBuilder();
            int i = 1;
            for (; i < rest.length() && rest.charAt(i) != '"'; i++) {
                if (rest.charAt(i) == '\\' && i + 1 < rest.length() && rest.charAt(i + 1) == '"') {
                    i++;
                }
                quoted.append(rest.charAt(i));
            }
            if (i >= rest.length()) {
                throw new IllegalArgumentException("The text of log has no closing quote; write it as \"total {total}\".");
            }
            text = quoted.toString();
            rest = rest.substring(i + 1);
        } else {
            Matcher condition = IF.matcher(rest);
            int end = condition.find() ? condition.start() : rest.length();
            Matcher limit = LIMIT.matcher(rest.substring(0, end));
            end = limit.find() ? limit.start() : end;
            text = rest.substring(0, end).strip();
            rest = rest.substring(end);
        }
        String limit = null;
        Matcher limitMatch = LIMIT.matcher(rest);
        if (limitMatch.find()) {
            limit = limitMatch.group(1);
            rest = rest.substring(0, limitMatch.start());
        }
        rest = rest.strip();
        String condition = null;
        if (rest.startsWith("if ") || rest.equals("if")) {
            condition = rest.substring(2).strip();
            if (condition.isEmpty()) {
                throw new IllegalArgumentException("`if` needs a condition after it: log Orders.java:42 \"{id}\" if qty > 10.");
            }
        } else if (!rest.isEmpty()) {
            throw new IllegalArgumentException("After the text, log takes only `if CONDITION` and `limit N`, not '" + rest + "'.");
        }
        return new LogArguments(location, text, condition, limit);
    }
}
