package dev.sonde.core.breakpoints;

import dev.sonde.core.error.SondeException;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a breakpoint should be, as the user wrote it. Specs are source-level: they survive class
 * loading, unloading and reloading, and a backend resolves them to code locations as classes appear.
 */
public sealed interface BreakpointSpec {

    /** The spec in the form a user would type it. */
    String describe();

    /**
     * {@code Orders.java:42} or {@code com/acme/Orders.java:42}: any class compiled from that file. {@code lambda} above
     * 0 narrows it to one lambda body starting on the line, the {@code lambda}-th in source order (a column breakpoint
     * on {@code list.forEach(x -> work(x))} stops in the lambda, not at the line); 0 is the whole line.
     */
    record FileLine(String file, int line, int lambda) implements BreakpointSpec {
        public FileLine {
            requireLine(line);
            if (lambda < 0) {
                throw SondeException.invalidInput("Lambdas on a line are counted from 1, not " + lambda + "; give 0 for the whole line.");
            }
        }

        public FileLine(String file, int line) {
            this(file, line, 0);
        }

        /** The file name without directories. */
        public String fileName() {
            int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
            return slash < 0 ? file : file.substring(slash + 1);
        }

        @Override
        public String describe() {
            return file + ":" + line + (lambda > 0 ? " (lambda " + lambda + ")" : "");
        }
    }

    /** {@code com.acme.Orders:42}: that class or any class nested in it (inner, anonymous, lambda bodies). */
    record ClassLine(String className, int line) implements BreakpointSpec {
        public ClassLine {
            requireLine(line);
        }

        @Override
        public String describe() {
            return className + ":" + line;
        }
    }

    /** {@code com.acme.Orders.place}: the first line of every overload of the method. */
    record MethodEntry(String className, String method) implements BreakpointSpec {
        @Override
        public String describe() {
            return className + "." + method;
        }
    }

    /** {@code com.acme.Orders.place exit}: every return from the method, with the value returned. */
    record MethodExit(String className, String method) implements BreakpointSpec {
        @Override
        public String describe() {
            return className + "." + method + " exit";
        }
    }

    /**
     * An exception of {@code className} or a subclass ({@code null}: any exception) as it is thrown, optionally only
     * where caught or uncaught, and only in code whose class matches the include and not the exclude patterns.
     */
    record ExceptionThrown(String className, boolean caught, boolean uncaught, List<String> include, List<String> exclude)
            implements BreakpointSpec {
        public ExceptionThrown {
            if (!caught && !uncaught) {
                throw SondeException.invalidInput("An exception breakpoint must catch caught or uncaught exceptions, or both.");
            }
            include = List.copyOf(include);
            exclude = List.copyOf(exclude);
        }

        @Override
        public String describe() {
            String which = caught && uncaught ? "all" : caught ? "caught" : "uncaught";
            StringBuilder out = new StringBuilder("catch ").append(which).append(' ').append(className == null ? "*" : className);
            include.forEach(p -> out.append(" --include ").append(p));
            exclude.forEach(p -> out.append(" --exclude ").append(p));
            return out.toString();
        }
    }

    /** A field of a class, watched as it is read ({@code access}) or written ({@code modify}). */
    record FieldWatch(String className, String field, boolean access, boolean modify) implements BreakpointSpec {
        public FieldWatch {
            if (!access && !modify) {
                throw SondeException.invalidInput("A watchpoint must watch access or modification of the field.");
            }
        }

        @Override
        public String describe() {
            return "watch " + (access && modify ? "all " : access ? "access " : "modify ") + className + "." + field;
        }
    }

    Pattern LINE_FORM = Pattern.compile("(.+):(-?\\d+)");
    Pattern CLASS_NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");
    Pattern METHOD_FORM = Pattern.compile("(" + CLASS_NAME.pattern() + ")[.#]([\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*|<init>|<clinit>)");
    Pattern SOURCE_FILE = Pattern.compile(".*[/\\\\].*|.*\\.(java|kt|kts|scala|groovy|py|clj)$");

    /**
     * Reads {@code File.java:LINE}, {@code pkg.Class:LINE}, {@code pkg.Class.method} (also {@code pkg.Class#method}) or
     * {@code pkg.Class.method exit}.
     *
     * @throws SondeException when the text is none of these
     */
    static BreakpointSpec parse(String text) {
        String spec = text == null ? "" : text.strip();
        Matcher line = LINE_FORM.matcher(spec);
        if (line.matches()) {
            String where = line.group(1);
            int lineNumber;
            try {
                lineNumber = Integer.parseInt(line.group(2));
            } catch (NumberFormatException e) {
                throw SondeException.invalidInput("Line number " + line.group(2) + " in '" + spec + "' is too large; give a line of the file.");
            }
            if (SOURCE_FILE.matcher(where).matches()) {
                return new FileLine(where, lineNumber);
            }
            if (CLASS_NAME.matcher(where).matches()) {
                return new ClassLine(where, lineNumber);
            }
            throw unreadable(spec);
        }
        Matcher method = METHOD_FORM.matcher(spec);
        // Orders.java is a file without its line, not method "java" of class Orders.
        if (method.matches() && !SOURCE_FILE.matcher(spec).matches()) {
            return new MethodEntry(method.group(1), method.group(3));
        }
        Matcher exit = METHOD_FORM.matcher(spec.endsWith(" exit") ? spec.substring(0, spec.length() - 5).strip() : "");
        if (exit.matches()) {
            return new MethodExit(exit.group(1), exit.group(3));
        }
        throw unreadable(spec);
    }

    private static SondeException unreadable(String spec) {
        return SondeException.invalidInput("Cannot read breakpoint location '" + spec
                + "'; write it as File.java:LINE, pkg.Class:LINE or pkg.Class.method.");
    }

    private static void requireLine(int line) {
        if (line < 1) {
            throw SondeException.invalidInput("Line numbers start at 1, not " + line + "; give a line of the file.");
        }
    }
}
