package dev.sonde.cli.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The console's {@code snap}, {@code watch} and {@code trace}: their words as agent requests, their output as text. */
final class ProbeKindCommands {

    static final String USAGE = "snap LOC [if EXPR] [max N] [frames N] [limit N] [watch EXPR]... | watch METHOD [args] [return] [throw]"
            + " [if EXPR] [limit N]"
            + " | trace METHOD [depth N] [every 5s]";

    private static final Set<String> SNAP_WORDS = Set.of("if", "max", "frames", "limit", "watch");
    private static final Set<String> WATCH_SHOWS = Set.of("args", "return", "throw");

    private ProbeKindCommands() {
    }

    /** {@code snap LOC [if EXPR] [max N] [frames N] [limit N] [watch EXPR]...}; EXPR runs to the next keyword. */
    static ObjectNode snap(String line) {
        Clause clause = condition(line, SNAP_WORDS);
        List<String> words = ProbeCommand.words(clause.rest());
        if (words.size() < 2) {
            throw new IllegalArgumentException("snap needs a line: snap Orders.java:42 [if total > 100] [max 5] [watch this.total].");
        }
        ObjectNode request = AgentClient.op("snap").put("location", words.get(1));
        if (clause.condition() != null) {
            request.put("condition", clause.condition());
        }
        List<String> watches = new ArrayList<>();
        for (int i = 2; i < words.size(); i++) {
            String word = words.get(i);
            if (!SNAP_WORDS.contains(word) || word.equals("if") || i + 1 >= words.size()) {
                throw new IllegalArgumentException("snap takes if EXPR, max N, frames N, limit N and watch EXPR after the line, not '" + word + "'.");
            }
            String value = words.get(++i);
            switch (word) {
                case "watch" -> watches.add(value);
                case "max" -> request.put("max", whole(value, "max", 0));
                case "frames" -> request.put("frames", whole(value, "frames", 1));
                default -> request.put("limit", whole(value, "limit", 1));
            }
        }
        return request.put("watch", String.join("\n", watches));
    }

    /** {@code watch METHOD [args] [return] [throw] [if EXPR] [limit N]}. */
    static ObjectNode watch(String line) {
        Clause clause = condition(line, Set.of("limit", "args", "return", "throw"));
        List<String> words = ProbeCommand.words(clause.rest());
        if (words.size() < 2) {
            throw new IllegalArgumentException("watch needs a method: watch dev.shop.Orders.place [args] [return] [throw] [if EXPR].");
        }
        ObjectNode request = AgentClient.op("watch").put("method", words.get(1));
        if (clause.condition() != null) {
            request.put("condition", clause.condition());
        }
        List<String> shows = new ArrayList<>();
        for (int i = 2; i < words.size(); i++) {
            String word = words.get(i);
            if (WATCH_SHOWS.contains(word)) {
                shows.add(word);
            } else if (word.equals("limit") && i + 1 < words.size()) {
                request.put("limit", whole(words.get(++i), "limit", 1));
            } else {
                throw new IllegalArgumentException("watch takes args, return, throw, if EXPR and limit N after the method, not '" + word + "'.");
            }
        }
        return shows.isEmpty() ? request : request.put("show", String.join(" ", shows));
    }

    /** A command line without its {@code if EXPR} clause, and the clause's expression as written (null: none). */
    record Clause(String rest, String condition) {
    }

    /** Finds {@code if} as a word outside quotes; the expression runs to the next of {@code keywords} (outside quotes) or the end. */
    static Clause condition(String line, Set<String> keywords) {
        int start = wordAt(line, 0, Set.of("if"));
        if (start < 0) {
            return new Clause(line, null);
        }
        int end = wordAt(line, start + 2, keywords);
        String expression = line.substring(start + 2, end < 0 ? line.length() : end).strip();
        if (expression.isEmpty()) {
            throw new IllegalArgumentException("'if' needs a condition after it, e.g. if total > 100.");
        }
        return new Clause(line.substring(0, start) + (end < 0 ? "" : line.substring(end)), expression);
    }

    private static int wordAt(String line, int from, Set<String> words) {
        boolean quoted = false;
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (quoted || i > 0 && !Character.isWhitespace(line.charAt(i - 1))) {
                continue;
            }
            for (String word : words) {
                int end = i + word.length();
                if (line.startsWith(word, i) && (end == line.length() || Character.isWhitespace(line.charAt(end)))) {
                    return i;
                }
            }
        }
        return -1;
    }

    static ObjectNode trace(List<String> words) {
        if (words.size() < 2 || words.size() % 2 != 0) {
            throw new IllegalArgumentException("trace takes a method, then depth N and every DURATION: trace dev.shop.Orders.place depth 3 every 5s.");
        }
        ObjectNode request = AgentClient.op("trace").put("method", words.get(1));
        for (int i = 2; i < words.size(); i += 2) {
            switch (words.get(i)) {
                case "depth" -> request.put("depth", whole(words.get(i + 1), "depth", 1));
                case "every" -> request.put("everyMillis", ProbeCommand.millis(words.get(i + 1)));
                default -> throw new IllegalArgumentException("trace takes depth N and every DURATION after the method, not '" + words.get(i) + "'.");
            }
        }
        return request;
    }

    private static int whole(String word, String what, int least) {
        try {
            int value = Integer.parseInt(word);
            if (value >= least) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // the sentence below
        }
        throw new IllegalArgumentException("The " + what + " must be a whole number of at least " + least + ", not '" + word + "'.");
    }

    static String describe(JsonNode probe) {
        return switch (probe.path("kind").asText()) {
            case "snap" -> "snap at " + probe.path("location").asText() + " (in " + probe.path("method").asText() + ")" + condition(probe) + ", locals of "
                    + probe.path("frames").asInt() + " frame(s)" + (probe.path("max").asInt() > 0 ? ", at most " + probe.path("max").asInt() : "")
                    + ", up to " + probe.path("limit").asInt() + "/s, " + probe.path("taken").asLong() + " taken"
                    + (probe.path("callerLocals").asBoolean(true) ? "" : " (callers without locals)");
            case "watch" -> "watch " + probe.path("location").asText() + " (" + probe.path("overloads").asInt() + " overload(s))" + condition(probe) + ", showing "
                    + String.join(" ", strings(probe.path("show"))) + ", " + probe.path("reported").asLong() + " reported";
            default -> "trace " + probe.path("location").asText() + " depth " + probe.path("depth").asInt() + " every "
                    + probe.path("everyMillis").asLong() / 1000.0 + "s over " + probe.path("methods").asInt() + " method(s) in "
                    + String.join(", ", strings(probe.path("classes")));
        };
    }

    private static String condition(JsonNode probe) {
        return probe.path("condition").isTextual() ? " if " + probe.path("condition").asText() : "";
    }

    static String event(JsonNode event) {
        String probe = "[probe " + event.path("probe").asInt() + "] ";
        return switch (event.path("event").asText()) {
            case "snapshot" -> snapshot(probe, event);
            case "watch" -> watchLine(probe, event);
            default -> probe + "trace " + event.path("method").asText() + ", last " + event.path("intervalMillis").asLong() / 1000.0 + "s"
                    + System.lineSeparator() + tree(event.path("tree"), "  ");
        };
    }

    private static String snapshot(String probe, JsonNode event) {
        StringBuilder out = new StringBuilder(probe).append("snapshot #").append(event.path("sequence").asLong()).append(" on thread ")
                .append(event.path("thread").path("name").asText()).append(event.path("thread").path("virtual").asBoolean() ? " (virtual)" : "");
        JsonNode frames = event.path("frames");
        for (JsonNode locals : event.path("locals")) {
            JsonNode frame = frames.path(locals.path("frame").asInt());
            out.append(System.lineSeparator()).append("  #").append(locals.path("frame").asInt()).append(' ')
                    .append(frame.path("class").asText()).append('.').append(frame.path("method").asText())
                    .append(" (").append(frame.path("file").asText()).append(':').append(frame.path("line").asInt()).append(')');
            for (JsonNode variable : locals.path("variables")) {
                out.append(System.lineSeparator()).append("      ").append(variable.path("name").asText()).append(" = ")
                        .append(variable.path("value").asText());
            }
        }
        if (event.has("callersNote")) {
            out.append(System.lineSeparator()).append("  (").append(event.path("callersNote").asText()).append(')');
        }
        for (JsonNode watch : event.path("watches")) {
            out.append(System.lineSeparator()).append("  watch ").append(watch.path("expression").asText()).append(" = ")
                    .append(watch.has("error") ? "<" + watch.path("error").asText() + ">" : watch.path("value").asText());
        }
        out.append(System.lineSeparator()).append("  ").append(frames.size()).append(" frame(s) on the stack");
        if (event.has("truncated")) {
            out.append("; ").append(event.path("truncated").asText());
        }
        return out.toString();
    }

    private static String watchLine(String probe, JsonNode event) {
        StringBuilder out = new StringBuilder(probe).append(event.path("method").asText());
        if (event.has("args")) {
            List<String> args = new ArrayList<>();
            event.path("args").forEach(a -> args.add(a.path("name").asText() + "=" + a.path("value").asText()));
            out.append(" args: ").append(String.join(", ", args));
        }
        if (event.has("exception")) {
            out.append(" threw ").append(event.path("exception").path("type").asText());
            if (!event.path("exception").path("message").isNull()) {
                out.append(": ").append(event.path("exception").path("message").asText());
            }
        } else if (event.has("returnValue")) {
            out.append(" returned ").append(event.path("returnValue").path("value").asText());
        }
        return out.append(" in ").append(String.format(Locale.ROOT, "%.3f", event.path("durationMicros").asDouble() / 1000.0)).append(" ms").toString();
    }

    /** The tree as indented lines: count, total and mean ms, then the call. */
    static String tree(JsonNode node, String indent) {
        StringBuilder out = new StringBuilder(indent).append(String.format(Locale.ROOT, "%,d calls, total %.3f ms, mean %.3f ms  %s",
                node.path("count").asLong(), node.path("totalMillis").asDouble(), node.path("meanMillis").asDouble(), node.path("call").asText()));
        for (JsonNode child : node.path("children")) {
            out.append(System.lineSeparator()).append(tree(child, indent + "  "));
        }
        return out.toString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
