package dev.sonde.cli.console;

import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.breakpoints.HitCondition;
import dev.sonde.core.breakpoints.LogTemplate;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the arguments of the breakpoint commands into specs and options:
 * <pre>
 * break LOC [exit] [in OPERATION] [if EXPR] [hits N | every N | after N] [--no-invoke]
 * log   LOC "TEXT {EXPR}..." [in OPERATION] [if EXPR] [hits N | every N | after N] [--no-invoke]
 * snap  LOC [in OPERATION] [if EXPR] [max N] [frames N] [watch EXPR]... [--no-invoke]
 * catch [caught | uncaught | all] CLASS [--include PATTERN]... [--exclude PATTERN]... [if EXPR]
 * watch [access | modify | all] CLASS.FIELD [if EXPR]
 * </pre>
 * Keywords count only between clauses: inside quotes, parentheses or brackets they are part of an expression.
 */
public final class BreakpointCommands {

    /** A breakpoint as a command describes it. */
    public record Request(BreakpointSpec spec, BreakpointOptions options) {
    }

    private static final Set<String> NUMBERED = Set.of("hits", "every", "after", "max", "frames");
    private static final Pattern CLASS_FIELD = Pattern.compile("(.+)[.#]([\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)");

    private BreakpointCommands() {
    }

    public static Request breakpoint(String argument, boolean temporary, boolean invokeByDefault) {
        Clauses clauses = Clauses.split(argument, Set.of("in", "if", "hits", "every", "after", "exit", "--no-invoke"));
        String location = clauses.head();
        if (location.isEmpty()) {
            throw SondeException.invalidInput("Give a location: break File.java:LINE, break pkg.Class:LINE or break pkg.Class.method [exit].");
        }
        BreakpointSpec spec = BreakpointSpec.parse(location);
        if (clauses.has("exit")) {
            if (!(spec instanceof BreakpointSpec.MethodEntry method)) {
                throw SondeException.invalidInput("`exit` goes with a method (break pkg.Class.method exit), not with " + location + ".");
            }
            spec = new BreakpointSpec.MethodExit(method.className(), method.method());
        }
        return new Request(spec, common(clauses, invokeByDefault).withTemporary(temporary));
    }

    public static Request logpoint(String argument, boolean invokeByDefault) {
        String text = argument.strip();
        int space = text.indexOf(' ');
        if (text.isEmpty() || space < 0) {
            throw SondeException.invalidInput("Give a location and a message: log Orders.java:42 \"order {order.id} for {customer}\".");
        }
        String location = text.substring(0, space);
        String rest = text.substring(space + 1).strip();
        if (!rest.startsWith("\"")) {
            throw SondeException.invalidInput("Put the log message in double quotes: log " + location + " \"total is {total}\".");
        }
        int end = closingQuote(rest);
        String template = unescape(rest.substring(1, end));
        LogTemplate.parse(template);
        Clauses clauses = Clauses.split(rest.substring(end + 1), Set.of("in", "if", "hits", "every", "after", "--no-invoke"));
        if (!clauses.head().isEmpty()) {
            throw SondeException.invalidInput("Unexpected '" + clauses.head() + "' after the log message; options are in OPERATION, if EXPR,"
                    + " hits N, every N, after N.");
        }
        return new Request(BreakpointSpec.parse(location), common(clauses, invokeByDefault).withAction(new BreakpointAction.Log(template)));
    }

    public static Request snapshot(String argument, boolean invokeByDefault, int defaultFrames) {
        Clauses clauses = Clauses.split(argument, Set.of("in", "if", "max", "frames", "watch", "--no-invoke"));
        if (clauses.head().isEmpty()) {
            throw SondeException.invalidInput("Give a location: snap Orders.java:42 [if EXPR] [max N] [watch EXPR]...");
        }
        int max = clauses.has("max") ? (int) clauses.number("max") : 0;
        int frames = clauses.has("frames") ? (int) clauses.number("frames") : defaultFrames;
        List<String> watches = clauses.all("watch");
        BreakpointAction.Snapshot action = new BreakpointAction.Snapshot(max, watches, frames);
        return new Request(BreakpointSpec.parse(clauses.head()), common(clauses, invokeByDefault).withAction(action));
    }

    public static Request exception(String argument, boolean invokeByDefault) {
        Clauses clauses = Clauses.split(argument, Set.of("if", "--include", "--exclude", "--no-invoke"));
        List<String> words = new ArrayList<>(List.of(clauses.head().split("\\s+")));
        words.removeIf(String::isEmpty);
        boolean caught = true;
        boolean uncaught = true;
        if (!words.isEmpty() && Set.of("caught", "uncaught", "all").contains(words.get(0))) {
            String which = words.remove(0);
            caught = !which.equals("uncaught");
            uncaught = !which.equals("caught");
        }
        if (words.size() != 1) {
            throw SondeException.invalidInput("Give one exception class: catch [caught|uncaught|all] CLASS (or * for every exception).");
        }
        String className = words.get(0).equals("*") ? null : words.get(0);
        return new Request(new BreakpointSpec.ExceptionThrown(className, caught, uncaught, clauses.all("--include"), clauses.all("--exclude")),
                common(clauses, invokeByDefault));
    }

    public static Request watchpoint(String argument, boolean invokeByDefault) {
        Clauses clauses = Clauses.split(argument, Set.of("if", "--no-invoke"));
        List<String> words = new ArrayList<>(List.of(clauses.head().split("\\s+")));
        words.removeIf(String::isEmpty);
        boolean access = false;
        boolean modify = true;
        if (!words.isEmpty() && Set.of("access", "modify", "all").contains(words.get(0))) {
            String which = words.remove(0);
            access = !which.equals("modify");
            modify = !which.equals("access");
        }
        Matcher field = words.size() == 1 ? CLASS_FIELD.matcher(words.get(0)) : null;
        if (field == null || !field.matches()) {
            throw SondeException.invalidInput("Give a field: watch [access|modify|all] pkg.Class.field.");
        }
        return new Request(new BreakpointSpec.FieldWatch(field.group(1), field.group(2), access, modify), common(clauses, invokeByDefault));
    }

    private static BreakpointOptions common(Clauses clauses, boolean invokeByDefault) {
        BreakpointOptions options = BreakpointOptions.DEFAULT.withAllowInvoke(invokeByDefault && !clauses.has("--no-invoke"));
        if (clauses.has("if")) {
            String condition = clauses.single("if");
            if (condition.isEmpty()) {
                throw SondeException.invalidInput("`if` needs a condition, for example: if order.total() > 100.");
            }
            options = options.withCondition(condition);
        }
        if (clauses.has("in")) {
            options = options.withOperation(operation(clauses.single("in")));
        }
        List<HitCondition> hits = new ArrayList<>();
        for (HitCondition.Kind kind : HitCondition.Kind.values()) {
            if (clauses.has(kind.label())) {
                hits.add(new HitCondition(kind, clauses.number(kind.label())));
            }
        }
        if (hits.size() > 1) {
            throw SondeException.invalidInput("Use one of hits N, every N or after N, not several.");
        }
        return hits.isEmpty() ? options : options.withHitCondition(hits.get(0));
    }

    /** The name after {@code in}: one word, or a quoted name. */
    private static String operation(String text) {
        String name = text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
        if (name.isBlank() || name.equals(text) && name.chars().anyMatch(Character::isWhitespace)) {
            throw SondeException.invalidInput("`in` takes the name of one sonde-runtime operation, for example: break Orders.java:42 in orders.load"
                    + " (quote a name with spaces).");
        }
        return name;
    }

    private static int closingQuote(String text) {
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == '"') {
                return i;
            }
        }
        throw SondeException.invalidInput("The log message has no closing double quote; end it with \".");
    }

    private static String unescape(String quoted) {
        StringBuilder out = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length()) {
                char next = quoted.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The text before the first keyword, then each keyword's text (a keyword may repeat). */
    record Clauses(String head, Map<String, List<String>> values) {

        boolean has(String keyword) {
            return values.containsKey(keyword);
        }

        List<String> all(String keyword) {
            return values.getOrDefault(keyword, List.of());
        }

        String single(String keyword) {
            List<String> given = all(keyword);
            if (given.size() > 1) {
                throw SondeException.invalidInput("`" + keyword + "` is given twice; give it once.");
            }
            return given.get(0);
        }

        long number(String keyword) {
            String text = single(keyword);
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw SondeException.invalidInput("`" + keyword + "` needs a whole number, not '" + text + "'.");
            }
        }

        static Clauses split(String text, Set<String> keywords) {
            List<int[]> starts = new ArrayList<>();
            List<String> names = new ArrayList<>();
            int depth = 0;
            char quote = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote != 0) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                    continue;
                }
                switch (c) {
                    case '"', '\'' -> quote = c;
                    case '(', '[', '{' -> depth++;
                    case ')', ']', '}' -> depth = Math.max(0, depth - 1);
                    default -> {
                        if (depth == 0 && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                            String keyword = keywordAt(text, i, keywords);
                            if (keyword != null) {
                                starts.add(new int[] {i, i + keyword.length()});
                                names.add(keyword);
                                i += keyword.length() - 1;
                            }
                        }
                    }
                }
            }
            String head = (starts.isEmpty() ? text : text.substring(0, starts.get(0)[0])).strip();
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (int k = 0; k < starts.size(); k++) {
                int end = k + 1 < starts.size() ? starts.get(k + 1)[0] : text.length();
                values.computeIfAbsent(names.get(k), n -> new ArrayList<>()).add(text.substring(starts.get(k)[1], end).strip());
            }
            return new Clauses(head, values);
        }

        /** The keyword that starts at {@code at} as a whole word; numbered keywords only when a number follows. */
        private static String keywordAt(String text, int at, Set<String> keywords) {
            for (String keyword : keywords) {
                int end = at + keyword.length();
                if (!text.startsWith(keyword, at) || end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    continue;
                }
                if (NUMBERED.contains(keyword) && !text.substring(end).strip().matches("\\d+(\\s.*)?")) {
                    continue;
                }
                return keyword;
            }
            return null;
        }
    }
}
