package dev.sonde.cli.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a console line {@code log LOC "text {expr}" [if EXPR] [limit N] [cpu 0.5%] [expires 1h]}. The condition
 * is taken from the line as typed, so its string literals keep their quotes; {@code budget} holds the budget options
 * at the end of the line as option, value pairs.
 */
record LogArguments(String location, String text, String condition, List<String[]> budget) {

    private static final Pattern HEAD = Pattern.compile("\\s*log\\s+(\\S+)\\s+");
    private static final Pattern BUDGET = Pattern.compile("(?:^|\\s)(limit|cpu|expires)\\s+(\\S+)\\s*$");
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
            for (Matcher option = BUDGET.matcher(rest.substring(0, end)); option.find(); option = BUDGET.matcher(rest.substring(0, end))) {
                end = option.start();
            }
            text = rest.substring(0, end).strip();
            rest = rest.substring(end);
        }
        List<String[]> budget = new ArrayList<>();
        for (Matcher option = BUDGET.matcher(rest); option.find(); option = BUDGET.matcher(rest)) {
            budget.add(0, new String[] {option.group(1), option.group(2)});
            rest = rest.substring(0, option.start());
        }
        rest = rest.strip();
        String condition = null;
        if (rest.startsWith("if ") || rest.equals("if")) {
            condition = rest.substring(2).strip();
            if (condition.isEmpty()) {
                throw new IllegalArgumentException("`if` needs a condition after it: log Orders.java:42 \"{id}\" if qty > 10.");
            }
        } else if (!rest.isEmpty()) {
            throw new IllegalArgumentException("After the text, log takes only `if CONDITION` and the budget options `limit N`, `cpu 0.5%` and `expires 1h`, not '" + rest + "'.");
        }
        return new LogArguments(location, text, condition, budget);
    }
}
