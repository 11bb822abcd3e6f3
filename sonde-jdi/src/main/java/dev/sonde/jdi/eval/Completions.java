package dev.sonde.jdi.eval;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.ArrayType;
import com.sun.jdi.Field;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.TypeComponent;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Completion;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Completions for the debug console, found without running code: names in scope, or after a dot the members of the
 * static type of the expression before it (typed as the evaluator types it, see {@link Node#type}).
 */
final class Completions {

    private Completions() {
    }

    static List<Completion> at(Evaluator evaluator, StackFrame frame, String text, int column) {
        if (text == null || column < 0 || column > text.length()) {
            throw SondeException.invalidInput("The cursor column " + column + " is outside the text (0 to "
                    + (text == null ? 0 : text.length()) + "); give the cursor's index in the text.");
        }
        int start = column;
        while (start > 0 && Character.isJavaIdentifierPart(text.charAt(start - 1))) {
            start--;
        }
        String partial = text.substring(start, column);
        int dot = start - 1;
        while (dot >= 0 && Character.isWhitespace(text.charAt(dot))) {
            dot--;
        }
        if (dot >= 0 && text.charAt(dot) == '.') {
            String before = text.substring(expressionStart(text, dot), dot).strip();
            return before.isEmpty() ? List.of() : members(evaluator, frame, before, partial);
        }
        return inScope(frame, partial);
    }

    /** Where the expression ending just before {@code dot} starts: back over names, dots and balanced brackets. */
    static int expressionStart(String text, int dot) {
        int depth = 0;
        int i = dot - 1;
        for (; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == ')' || c == ']') {
                depth++;
            } else if (c == '(' || c == '[') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == '"' || c == '\'') {
                int open = text.lastIndexOf(c, i - 1);
                if (open < 0) {
                    break;
                }
                i = open;
            } else if (depth == 0 && !(Character.isJavaIdentifierPart(c) || c == '.' || Character.isWhitespace(c)
                    && continuesBefore(text, i))) {
                break;
            }
        }
        int start = i + 1;
        // `new Order(1).` and `(Order) x` are kept whole: a `new` just before the start belongs to the expression.
        String head = text.substring(0, start).stripTrailing();
        if (head.endsWith("new") && (head.length() == 3 || !Character.isJavaIdentifierPart(head.charAt(head.length() - 4)))) {
            start = head.length() - 3;
        }
        return start;
    }

    /** Whether whitespace at {@code i} sits inside a chain ({@code order .total}), not between two expressions. */
    private static boolean continuesBefore(String text, int i) {
        int next = i + 1;
        while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
            next++;
        }
        int previous = i - 1;
        while (previous >= 0 && Character.isWhitespace(text.charAt(previous))) {
            previous--;
        }
        return next < text.length() && text.charAt(next) == '.' || previous >= 0 && text.charAt(previous) == '.';
    }

    private static List<Completion> members(Evaluator evaluator, StackFrame frame, String expression, String partial) {
        CompiledExpression.MemberScope scope;
        try {
            scope = evaluator.compile(expression).memberScope(frame);
        } catch (SondeException unknown) {
            return List.of();
        }
        if (scope == null) {
            return List.of();
        }
        List<Completion> found = new ArrayList<>();
        ReferenceType type = scope.type();
        if (type instanceof ArrayType) {
            if ("length".startsWith(partial) && !scope.statics()) {
                found.add(new Completion("length", Completion.Kind.FIELD, "int"));
            }
            type = evaluator.loadedType(frame.virtualMachine(), "java.lang.Object");
            if (type == null) {
                return found;
            }
        }
        for (Field field : type.visibleFields()) {
            if (field.name().startsWith(partial) && !field.isSynthetic() && (!scope.statics() || field.isStatic())) {
                found.add(new Completion(field.name(), Completion.Kind.FIELD, Errors.display(field.typeName())));
            }
        }
        Set<String> signatures = new LinkedHashSet<>();
        for (Method method : methods(type)) {
            if (method.name().startsWith(partial) && (!scope.statics() || method.isStatic()) && signatures.add(method.name() + method.signature())) {
                found.add(method(method));
            }
        }
        if (scope.statics()) {
            for (ReferenceType nested : type.nestedTypes()) {
                String simple = nested.name().substring(nested.name().lastIndexOf('$') + 1);
                if (simple.startsWith(partial) && !simple.isEmpty() && !Character.isDigit(simple.charAt(0))) {
                    found.add(new Completion(simple, Completion.Kind.CLASS, Errors.display(nested.name())));
                }
            }
        }
        return found;
    }

    private static List<Completion> inScope(StackFrame frame, String partial) {
        List<Completion> found = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        try {
            for (LocalVariable local : frame.visibleVariables()) {
                if (local.name().startsWith(partial) && names.add(local.name())) {
                    found.add(new Completion(local.name(), Completion.Kind.VARIABLE, Errors.display(local.typeName())));
                }
            }
        } catch (AbsentInformationException e) {
            // compiled without local variable names: fields and methods only
        }
        boolean instance = !frame.location().method().isStatic();
        Set<String> signatures = new LinkedHashSet<>();
        var vm = frame.virtualMachine();
        for (ReferenceType type = frame.location().declaringType(); type != null; type = Types.enclosing(vm, type)) {
            for (Field field : type.visibleFields()) {
                String name = field.name().startsWith("val$") ? field.name().substring(4) : field.name();
                if (name.startsWith(partial) && !name.startsWith("this$") && (field.name().startsWith("val$") || !field.isSynthetic())
                        && (instance || field.isStatic()) && names.add(name)) {
                    found.add(new Completion(name, Completion.Kind.FIELD, Errors.display(field.typeName())));
                }
            }
            for (Method method : methods(type)) {
                if (method.name().startsWith(partial) && (instance || method.isStatic()) && signatures.add(method.name() + method.signature())) {
                    found.add(method(method));
                }
            }
            instance &= Types.enclosingInstance(type) != null;
        }
        return found;
    }

    /** The methods one can call by name: not constructors, initializers, bridges or lambdas' bodies. */
    private static List<Method> methods(ReferenceType type) {
        return type.visibleMethods().stream()
                .filter(m -> !m.isConstructor() && !m.isStaticInitializer() && !m.isSynthetic() && !m.isBridge()
                        && !m.name().startsWith("lambda$") && !m.name().startsWith("access$"))
                .sorted(java.util.Comparator.comparing(TypeComponent::name))
                .toList();
    }

    private static Completion method(Method method) {
        return new Completion(method.name(), Completion.Kind.METHOD, Overloads.signature(method) + " : " + Errors.display(method.returnTypeName()));
    }
}
