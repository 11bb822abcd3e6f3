package dev.sonde.dap.server.variables;

import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;
import dev.sonde.dap.server.threads.FrameRef;

import java.util.regex.Pattern;

/**
 * How Sonde's values look to a DAP client: the one-line rendering Sonde shows everywhere (collections summarised
 * with their size and first elements), a variablesReference for those with something inside, and the Java
 * expression that reaches each one, so clients can add watches and set values.
 */
final class DapValues {

    /** Expressions that need no parentheses before {@code .field} or {@code [i]}: names, field chains, array elements. */
    private static final Pattern PLAIN = Pattern.compile(
            "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*|\\[\\d+])*");

    private DapValues() {
    }

    /** The container a value opens into, or null when it has nothing to show inside. */
    static Container.Children childrenOf(Value value, FrameRef frame, String evaluateName) {
        if (value.ref() == 0) {
            return null;
        }
        return switch (value) {
            case Value.ArrayRef array -> array.length() == 0 ? null
                    : new Container.Children(frame, array.ref(), Container.Shape.ARRAY, evaluateName, array.type());
            case Value.CollectionRef collection -> collection.size() == 0 ? null
                    : new Container.Children(frame, collection.ref(), Container.Shape.COLLECTION, null, collection.type());
            case Value.MapRef map -> map.size() == 0 ? null
                    : new Container.Children(frame, map.ref(), Container.Shape.COLLECTION, null, map.type());
            case Value.ObjectRef object -> new Container.Children(frame, object.ref(), Container.Shape.OBJECT, evaluateName, object.type());
            case Value.Null ignored -> null;
            case Value.Primitive ignored -> null;
            case Value.Text ignored -> null;
            case Value.Unavailable ignored -> null;
        };
    }

    /** The Java expression for a variable shown in a container, or null when none reaches it. */
    static String evaluateName(Container container, Variable variable) {
        return switch (container) {
            case Container.Locals ignored -> switch (variable.kind()) {
                case THIS -> "this";
                case RETURN_VALUE -> null; // no expression reads what a method returned
                default -> variable.name();
            };
            case Container.Statics ignored -> variable.name();
            case Container.Children children -> childExpression(children, variable.name(), variable.kind());
            case Container.Text ignored -> null;
        };
    }

    /**
     * The number of elements a client pages through for an array or a collection (DAP's {@code indexedVariables}),
     * or null for other values.
     */
    static Integer indexedCount(Value value) {
        return switch (value) {
            case Value.ArrayRef array -> array.length();
            case Value.CollectionRef collection -> collection.size();
            case Value.MapRef map -> map.size();
            default -> null;
        };
    }

    /**
     * Whether a value's own {@code toString()} may say more than Sonde's rendering, which runs no code: plain objects
     * shown as {@code Type@id}. Offered as a lazy child, run only when opened.
     */
    static boolean mayTellMore(Value value) {
        return value instanceof Value.ObjectRef object && object.ref() != 0 && object.summary().endsWith("@" + object.ref());
    }

    /** The Java expression for the child called {@code name} of a container of values, or null when there is none. */
    static String childExpression(Container.Children children, String name, VariableKind kind) {
        if (children.evaluateName() == null) {
            return null;
        }
        return switch (children.shape()) {
            case OBJECT -> kind == VariableKind.FIELD ? operand(children.evaluateName()) + "." + name : null;
            case ARRAY -> operand(children.evaluateName()) + name;
            case COLLECTION -> null;
        };
    }

    /** An expression ready for {@code .field} or {@code [i]} to follow. */
    static String operand(String expression) {
        String trimmed = expression.strip();
        return PLAIN.matcher(trimmed).matches() ? trimmed : "(" + trimmed + ")";
    }
}
