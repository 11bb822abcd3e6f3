package dev.sonde.jdi.eval;

import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Java's choice among overloads (JLS 15.12.2): the methods applicable by subtyping and widening, else with boxing and
 * unboxing, else with variable arity; among those, the most specific one. Uses the arguments' static types.
 */
final class Overloads {

    private enum Phase { STRICT, LOOSE, VARIABLE_ARITY }

    /** The method to call, and whether its last parameter gathers the trailing arguments into an array. */
    record Choice(Method method, boolean variableArity) {
    }

    private Overloads() {
    }

    /**
     * @param call     the call as written, for messages
     * @param owner    where the candidates come from, for messages ({@code EvalFixture.describe}, {@code new Order})
     */
    static Choice choose(Context ctx, String call, String owner, List<Method> candidates, List<StaticType> arguments) {
        for (Phase phase : Phase.values()) {
            List<Method> applicable = new ArrayList<>();
            for (Method candidate : candidates) {
                if (applicable(ctx, candidate, arguments, phase)) {
                    applicable.add(candidate);
                }
            }
            if (!applicable.isEmpty()) {
                return new Choice(mostSpecific(ctx, call, applicable, arguments, phase), phase == Phase.VARIABLE_ARITY);
            }
        }
        throw SondeException.notFound("No overload of " + owner + " takes " + argumentList(arguments) + "; candidates: "
                + candidates.stream().map(Overloads::signature).collect(Collectors.joining(", ")) + ".");
    }

    /** The static type of an argument, which overload resolution goes by. */
    static StaticType argumentType(Context ctx, Node argument, Operand value) {
        return switch (value) {
            case Operand.Primitive primitive -> primitive.kind();
            case Operand.Reference reference -> reference.staticType();
            case Operand.HostString ignored -> new StaticType.Reference(ctx.requireType("java.lang.String"));
            default -> throw Errors.mismatch(Errors.code(argument.source()) + " is " + Errors.describe(value) + ", not a value to pass.");
        };
    }

    private static boolean applicable(Context ctx, Method method, List<StaticType> arguments, Phase phase) {
        List<String> parameters = method.argumentTypeNames();
        boolean loose = phase != Phase.STRICT;
        if (phase != Phase.VARIABLE_ARITY) {
            if (parameters.size() != arguments.size()) {
                return false;
            }
            List<GenericTypes.Sig> generic = GenericTypes.parameters(method);
            for (int i = 0; i < parameters.size(); i++) {
                if (!convertible(ctx, arguments.get(i), parameters.get(i), loose)) {
                    return false;
                }
                if (generic != null && arguments.get(i) instanceof StaticType.Reference reference
                        && !GenericTypes.compatible(ctx, reference.generic(), generic.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (!method.isVarArgs() || arguments.size() < parameters.size() - 1) {
            return false;
        }
        for (int i = 0; i < arguments.size(); i++) {
            String parameter = i < parameters.size() - 1 ? parameters.get(i) : component(parameters.getLast());
            if (!convertible(ctx, arguments.get(i), parameter, true)) {
                return false;
            }
        }
        return true;
    }

    /** Method invocation conversion (JLS 5.3): strict is identity and widening; loose adds boxing and unboxing. */
    private static boolean convertible(Context ctx, StaticType argument, String parameter, boolean loose) {
        PrimitiveKind parameterPrimitive = PrimitiveKind.named(parameter);
        return switch (argument) {
            case PrimitiveKind primitive -> parameterPrimitive != null
                    ? primitive.widensTo(parameterPrimitive)
                    : loose && Types.isAssignable(ctx.requireType(primitive.boxName()), parameter);
            case StaticType.NullType ignored -> parameterPrimitive == null;
            case StaticType.Reference reference -> {
                if (parameterPrimitive == null) {
                    yield Types.isAssignable(reference.type(), parameter);
                }
                PrimitiveKind unboxed = PrimitiveKind.boxedIn(reference.type().name());
                yield loose && unboxed != null && unboxed.widensTo(parameterPrimitive);
            }
        };
    }

    private static Method mostSpecific(Context ctx, String call, List<Method> applicable, List<StaticType> arguments, Phase phase) {
        if (applicable.size() == 1) {
            return applicable.getFirst();
        }
        List<Method> choices = maximal(ctx, applicable, arguments.size(), phase, true);
        if (choices.stream().map(Method::signature).distinct().count() > 1) {
            // Type arguments Sonde could not see (an argument's generic type unknown) made both fit: erasure decides.
            choices = maximal(ctx, applicable, arguments.size(), phase, false);
        }
        if (choices.stream().map(Method::signature).distinct().count() == 1) {
            return choices.getFirst();
        }
        throw SondeException.invalidInput(Errors.code(call) + " is ambiguous: " + choices.stream().map(Overloads::signature)
                .collect(Collectors.joining(" and ")) + " fit " + argumentList(arguments) + " equally well; cast an argument to pick one.");
    }

    /** The applicable methods no other one is strictly more specific than, an abstract declaration left out for its implementation. */
    private static List<Method> maximal(Context ctx, List<Method> applicable, int argumentCount, Phase phase, boolean generics) {
        List<Method> maximal = new ArrayList<>();
        for (Method candidate : applicable) {
            boolean beaten = false;
            for (Method other : applicable) {
                if (other != candidate && moreSpecific(ctx, other, candidate, argumentCount, phase, generics)
                        && !moreSpecific(ctx, candidate, other, argumentCount, phase, generics)) {
                    beaten = true;
                    break;
                }
            }
            if (!beaten) {
                maximal.add(candidate);
            }
        }
        // The same signature seen twice (an abstract declaration and its implementation) is one choice.
        List<Method> concrete = maximal.stream().filter(m -> !m.isAbstract()).toList();
        return concrete.isEmpty() ? maximal : concrete;
    }

    /** Whether every parameter of {@code m1} can be passed to the matching parameter of {@code m2} (JLS 15.12.2.5). */
    private static boolean moreSpecific(Context ctx, Method m1, Method m2, int argumentCount, Phase phase, boolean generics) {
        List<String> p1 = parameters(m1, argumentCount, phase);
        List<String> p2 = parameters(m2, argumentCount, phase);
        for (int i = 0; i < p1.size(); i++) {
            if (!subtype(ctx, p1.get(i), p2.get(i))) {
                return false;
            }
        }
        List<GenericTypes.Sig> g1 = !generics || phase == Phase.VARIABLE_ARITY ? null : GenericTypes.parameters(m1);
        List<GenericTypes.Sig> g2 = !generics || phase == Phase.VARIABLE_ARITY ? null : GenericTypes.parameters(m2);
        for (int i = 0; g1 != null && g2 != null && i < g1.size(); i++) {
            if (!GenericTypes.compatible(ctx, g1.get(i), g2.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The parameter types as the arguments meet them; for variable arity, the last one repeated as its component. */
    private static List<String> parameters(Method method, int argumentCount, Phase phase) {
        List<String> declared = method.argumentTypeNames();
        if (phase != Phase.VARIABLE_ARITY) {
            return declared;
        }
        List<String> expanded = new ArrayList<>(declared.subList(0, declared.size() - 1));
        String component = component(declared.getLast());
        while (expanded.size() < Math.max(argumentCount, declared.size())) {
            expanded.add(component);
        }
        return expanded;
    }

    private static boolean subtype(Context ctx, String sub, String sup) {
        if (sub.equals(sup)) {
            return true;
        }
        PrimitiveKind a = PrimitiveKind.named(sub);
        PrimitiveKind b = PrimitiveKind.named(sup);
        if (a != null || b != null) {
            return a != null && b != null && a.widensTo(b);
        }
        ReferenceType type = ctx.evaluator().loadedType(ctx.vm(), sub);
        return type != null && Types.isAssignable(type, sup);
    }

    private static String component(String arrayType) {
        return arrayType.substring(0, arrayType.length() - 2);
    }

    static String signature(Method method) {
        String name = method.isConstructor() ? Errors.display(method.declaringType().name()) : method.name();
        List<String> parameters = new ArrayList<>(method.argumentTypeNames().stream().map(Errors::display).toList());
        if (method.isVarArgs()) {
            parameters.set(parameters.size() - 1, component(parameters.getLast()) + "...");
        }
        return name + "(" + String.join(", ", parameters) + ")";
    }

    static String argumentList(List<StaticType> arguments) {
        return arguments.stream().map(t -> Errors.display(t.typeName())).collect(Collectors.joining(", ", "(", ")"));
    }
}
