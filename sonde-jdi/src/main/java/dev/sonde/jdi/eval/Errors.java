package dev.sonde.jdi.eval;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;

/** The evaluator's error sentences, so that they read alike. */
final class Errors {

    private Errors() {
    }

    /** Code in a message: {@code `order.total()`}. */
    static String code(String source) {
        // a text block spans lines; the error stays one line
        return "`" + source.replace("\r", "\\r").replace("\n", "\\n") + "`";
    }

    /** A type as a reader would write it: {@code String} for java.lang.String, {@code EvalFixture.Order} for a nested class. */
    static String display(String typeName) {
        String name = typeName.startsWith("java.lang.") && typeName.indexOf('.', "java.lang.".length()) < 0
                ? typeName.substring("java.lang.".length()) : typeName;
        int lastDot = name.lastIndexOf('.');
        return (lastDot < 0 ? name : name.substring(lastDot + 1)).replace('$', '.');
    }

    /** "an int", "a String", "null". */
    static String aType(String typeName) {
        if (typeName.equals("null")) {
            return "null";
        }
        String shown = display(typeName);
        return ("aeiouAEIOU".indexOf(shown.charAt(0)) >= 0 ? "an " : "a ") + shown;
    }

    /** What an operand is, for a type mismatch: "an int", "a String", "null", "the class Order". */
    static String describe(Operand operand) {
        return switch (operand) {
            case Operand.Primitive p -> aType(p.kind().typeName());
            case Operand.Reference r -> r.value() == null ? "null" : aType(r.typeName());
            case Operand.HostString ignored -> "a String";
            case Operand.NoValue ignored -> "void (no value)";
            case Operand.ClassName c -> "the class " + display(c.type().name());
            case Operand.PackageName p -> "the package " + p.name();
        };
    }

    static SondeException mismatch(String message) {
        return SondeException.invalidInput(message);
    }

    /** A null where an object is needed. */
    static SondeException nullDereference(String message) {
        return SondeException.badState(message);
    }

    /** The expression threw, in the target or (for / by zero, bounds and casts) by Java's rules. */
    static SondeException threw(String source, String exceptionClass, String detail) {
        String message = code(source) + " threw " + exceptionClass;
        if (detail != null && !detail.isBlank()) {
            message += ": " + detail.lines().findFirst().orElse("").strip();
        }
        return new SondeException(ErrorKind.TARGET_THREW, message.endsWith(".") ? message : message + ".");
    }

    /** Running target code was needed but not allowed. */
    static SondeException wouldRunCode(String source, String what) {
        return new SondeException(ErrorKind.UNSUPPORTED, "Evaluating " + code(source) + " would run code in the target ("
                + what + "); allowed only when invocation is on.");
    }

    static SondeException unsupported(String source, String what) {
        return new SondeException(ErrorKind.UNSUPPORTED, code(source) + " uses " + what
                + ", which Sonde does not evaluate; rewrite it with method calls, fields and operators.");
    }
}
