package dev.sonde.jdi.eval;

import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Java's generic types as JVM signatures give them ({@code Ljava/util/List<Ljava/lang/Integer;>;}), for telling apart
 * overloads that differ only in type arguments: {@code m(List<String>)} does not take a {@code List<Integer>}. What cannot
 * be known (a raw type, an unloaded class, a type variable to infer) never rules a method out.
 */
final class GenericTypes {

    /** A type in a signature. */
    sealed interface Sig permits ClassSig, VarSig, ArraySig, PrimitiveSig {
    }

    /** A class type with its type arguments (none for a raw or non-generic one); {@code name} is the binary name. */
    record ClassSig(String name, List<Arg> args) implements Sig {
    }

    record VarSig(String name) implements Sig {
    }

    record ArraySig(Sig component) implements Sig {
    }

    record PrimitiveSig(char descriptor) implements Sig {
    }

    /** A type argument: {@code =} exactly, {@code +} ? extends, {@code -} ? super, {@code *} ? (type null). */
    record Arg(char wildcard, Sig type) {
    }

    /** A class's type parameters and its direct supertypes, from its generic signature. */
    record ClassDeclaration(List<String> parameters, List<Sig> supertypes) {
    }

    private static final int MAX_DEPTH = 20;

    private GenericTypes() {
    }

    // ---- parsing ----

    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        char peek() {
            return text.charAt(at);
        }

        Sig type() {
            char c = text.charAt(at++);
            return switch (c) {
                case 'L' -> classType();
                case 'T' -> {
                    int end = text.indexOf(';', at);
                    String name = text.substring(at, end);
                    at = end + 1;
                    yield new VarSig(name);
                }
                case '[' -> new ArraySig(type());
                default -> new PrimitiveSig(c);
            };
        }

        private ClassSig classType() {
            StringBuilder name = new StringBuilder();
            List<Arg> args = List.of();
            while (true) {
                char c = text.charAt(at++);
                if (c == ';') {
                    return new ClassSig(name.toString(), args);
                } else if (c == '<') {
                    args = arguments();
                } else if (c == '.') {
                    name.append('$'); // Outer<T>.Inner: the inner class's own arguments follow
                    args = List.of();
                } else {
                    name.append(c == '/' ? '.' : c);
                }
            }
        }

        private List<Arg> arguments() {
            List<Arg> args = new ArrayList<>();
            while (peek() != '>') {
                char c = peek();
                if (c == '*') {
                    at++;
                    args.add(new Arg('*', null));
                } else if (c == '+' || c == '-') {
                    at++;
                    args.add(new Arg(c, type()));
                } else {
                    args.add(new Arg('=', type()));
                }
            }
            at++;
            return args;
        }

        /** {@code <T:Ljava/lang/Object;U::Ljava/lang/Comparable<TU;>;>}: the parameters' names. */
        List<String> typeParameters() {
            List<String> names = new ArrayList<>();
            if (at >= text.length() || peek() != '<') {
                return names;
            }
            at++;
            while (peek() != '>') {
                int colon = text.indexOf(':', at);
                names.add(text.substring(at, colon));
                at = colon;
                while (peek() == ':') {
                    at++;
                    if (peek() != ':') {
                        type();
                    }
                }
            }
            at++;
            return names;
        }
    }

    static Sig parse(String signature) {
        return signature == null ? null : new Parser(signature).type();
    }

    /**
     * The parameter types of a method's generic signature, or null when it has none (nothing generic in it) or when
     * they do not line up with the descriptor's (an inner class's constructor leaves out its outer instance).
     */
    static List<Sig> parameters(Method method) {
        String signature = method.genericSignature();
        if (signature == null) {
            return null;
        }
        List<Sig> parameters = parsedParameters(signature);
        return parameters.size() == method.argumentTypeNames().size() ? parameters : null;
    }

    private static List<Sig> parsedParameters(String signature) {
        Parser parser = new Parser(signature);
        parser.typeParameters();
        parser.at++; // (
        List<Sig> parameters = new ArrayList<>();
        while (parser.peek() != ')') {
            parameters.add(parser.type());
        }
        return parameters;
    }

    static ClassDeclaration declaration(ReferenceType type) {
        String signature = type.genericSignature();
        if (signature == null) {
            return null;
        }
        Parser parser = new Parser(signature);
        List<String> parameters = parser.typeParameters();
        List<Sig> supertypes = new ArrayList<>();
        while (parser.at < signature.length()) {
            supertypes.add(parser.type());
        }
        return new ClassDeclaration(parameters, supertypes);
    }

    // ---- subtyping over what is known ----

    /**
     * Whether a value of generic type {@code from} may be passed where {@code to} is declared, as far as the loaded
     * classes tell; the erasures are assumed compatible (checked before). Unknowns answer true.
     */
    static boolean compatible(Context ctx, Sig from, Sig to) {
        return compatible(ctx, from, to, 0);
    }

    private static boolean compatible(Context ctx, Sig from, Sig to, int depth) {
        if (depth > MAX_DEPTH || from == null || to == null || from instanceof VarSig || to instanceof VarSig) {
            return true;
        }
        if (from instanceof ArraySig a && to instanceof ArraySig b) {
            return compatible(ctx, a.component(), b.component(), depth + 1);
        }
        if (!(from instanceof ClassSig source) || !(to instanceof ClassSig target) || target.args().isEmpty()) {
            return true;
        }
        ClassSig seen = asSuper(ctx, source, target.name(), depth);
        if (seen == null || seen.args().isEmpty() || seen.args().size() != target.args().size()) {
            return true; // raw (unchecked conversion) or not known
        }
        for (int i = 0; i < target.args().size(); i++) {
            if (!contains(ctx, target.args().get(i), seen.args().get(i), depth + 1)) {
                return false;
            }
        }
        return true;
    }

    /** Whether type argument {@code outer} contains {@code inner} (JLS 4.5.1). */
    private static boolean contains(Context ctx, Arg outer, Arg inner, int depth) {
        if (outer.wildcard() == '*' || outer.type() instanceof VarSig || inner.type() instanceof VarSig) {
            return true;
        }
        return switch (outer.wildcard()) {
            case '=' -> inner.wildcard() == '=' && same(ctx, inner.type(), outer.type(), depth);
            case '+' -> inner.wildcard() != '-' && (inner.wildcard() != '*' || isObject(outer.type()))
                    && (inner.type() == null || subtype(ctx, inner.type(), outer.type(), depth));
            default -> (inner.wildcard() == '=' || inner.wildcard() == '-') && subtype(ctx, outer.type(), inner.type(), depth);
        };
    }

    private static boolean isObject(Sig type) {
        return type instanceof ClassSig c && c.name().equals("java.lang.Object");
    }

    /** The same type, where known: same erasure and arguments that contain each other. */
    private static boolean same(Context ctx, Sig a, Sig b, int depth) {
        if (a instanceof ClassSig x && b instanceof ClassSig y) {
            return x.name().equals(y.name()) && compatible(ctx, x, y, depth + 1) && compatible(ctx, y, x, depth + 1);
        }
        return !(a instanceof PrimitiveSig || b instanceof PrimitiveSig) || a.equals(b);
    }

    private static boolean subtype(Context ctx, Sig sub, Sig sup, int depth) {
        if (sub instanceof ClassSig a && sup instanceof ClassSig b) {
            ReferenceType type = ctx.evaluator().loadedType(ctx.vm(), a.name());
            if (type != null && !Types.isAssignable(type, b.name())) {
                return false;
            }
        }
        return compatible(ctx, sub, sup, depth + 1);
    }

    /** {@code type} seen as its supertype named {@code name}, its type arguments substituted; null when unknown. */
    private static ClassSig asSuper(Context ctx, ClassSig type, String name, int depth) {
        if (type.name().equals(name)) {
            return type;
        }
        if (depth > MAX_DEPTH) {
            return null;
        }
        ReferenceType loaded = ctx.evaluator().loadedType(ctx.vm(), type.name());
        ClassDeclaration declaration = loaded == null ? null : declaration(loaded);
        if (declaration == null) {
            return null;
        }
        Map<String, Arg> bindings = new HashMap<>();
        boolean raw = type.args().size() != declaration.parameters().size();
        for (int i = 0; !raw && i < declaration.parameters().size(); i++) {
            bindings.put(declaration.parameters().get(i), type.args().get(i));
        }
        for (Sig supertype : declaration.supertypes()) {
            if (supertype instanceof ClassSig superclass) {
                ClassSig substituted = raw ? new ClassSig(superclass.name(), List.of()) : (ClassSig) substitute(superclass, bindings);
                ClassSig found = asSuper(ctx, substituted, name, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Sig substitute(Sig type, Map<String, Arg> bindings) {
        return switch (type) {
            case ClassSig c -> new ClassSig(c.name(), c.args().stream().map(arg -> substitute(arg, bindings)).toList());
            case ArraySig a -> new ArraySig(substitute(a.component(), bindings));
            default -> type;
        };
    }

    private static Arg substitute(Arg arg, Map<String, Arg> bindings) {
        if (arg.type() instanceof VarSig variable && bindings.containsKey(variable.name())) {
            Arg bound = bindings.get(variable.name());
            // List<T> with T := ? extends Number is List<? extends Number> only when T stood alone.
            return arg.wildcard() == '=' ? bound : bound.wildcard() == '=' ? new Arg(arg.wildcard(), bound.type()) : new Arg('*', null);
        }
        return arg.type() == null ? arg : new Arg(arg.wildcard(), substitute(arg.type(), bindings));
    }
}
