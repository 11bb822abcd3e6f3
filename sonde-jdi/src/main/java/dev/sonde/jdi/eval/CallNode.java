package dev.sonde.jdi.eval;

import com.sun.jdi.ArrayType;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.InterfaceType;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.Value;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A method call: on an object, on a class (static), on {@code super}, or unqualified (a method of this class or of a
 * class around it). The receiver class, the overload chosen for the arguments' types and the return type are cached.
 */
final class CallNode implements Node {

    /** Where an unqualified call goes: the innermost class with a method of that name, and the path to its instance. */
    private record Receiver(ReferenceType type, List<Field> path) {
    }

    private record Key(ReferenceType type, List<StaticType> arguments) {
    }

    private final String source;
    private final Node scope;
    private final String scopeSource;
    private final boolean onSuper;
    private final String name;
    private final List<Node> arguments;
    private final Memo<Method, Receiver> receivers = new Memo<>();
    private final Memo<Key, Overloads.Choice> choices = new Memo<>();
    private final Memo<Method, StaticType> returnTypes = new Memo<>();

    CallNode(String source, Node scope, String scopeSource, boolean onSuper, String name, List<Node> arguments) {
        this.source = source;
        this.scope = scope;
        this.scopeSource = scopeSource;
        this.onSuper = onSuper;
        this.name = name;
        this.arguments = arguments;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Operand eval(Context ctx) {
        ObjectReference object = null;
        String receiverText = null;
        ReferenceType type;
        boolean needsStatic = false;
        if (onSuper) {
            object = requireThis(ctx);
            type = ((ClassType) ctx.location().declaringType()).superclass();
        } else if (scope == null) {
            Receiver receiver = implicitReceiver(ctx);
            type = receiver.type();
            needsStatic = receiver.path() == null;
            object = needsStatic ? null : ctx.holder(receiver.path());
        } else {
            Operand target = scope.eval(ctx);
            switch (target) {
                case Operand.ClassName className -> {
                    type = className.type();
                    needsStatic = true;
                }
                case Operand.Reference reference -> {
                    if (reference.value() == null) {
                        throw Errors.nullDereference(scopeSource + " is null, so ." + name + "() cannot be called.");
                    }
                    object = reference.value();
                    type = reference.typeOrRuntime();
                }
                case Operand.HostString string -> {
                    receiverText = string.text();
                    type = ctx.requireType("java.lang.String");
                }
                case Operand.PackageName packageName -> throw SondeException.notFound("No class named " + packageName.name()
                        + " is loaded in the target, so " + Errors.code(source) + " has nothing to call.");
                default -> throw Errors.mismatch(scopeSource + " is " + Errors.describe(target) + ", which has no methods.");
            }
        }
        List<Operand> values = new ArrayList<>(arguments.size());
        List<StaticType> types = new ArrayList<>(arguments.size());
        for (Node argument : arguments) {
            Operand value = argument.eval(ctx);
            values.add(value);
            types.add(Overloads.argumentType(ctx, argument, value));
        }
        Overloads.Choice choice = choose(ctx, type, object, types);
        Method method = choice.method();
        if (!method.isStatic() && needsStatic) {
            throw SondeException.invalidInput(Errors.code(source) + " calls the instance method " + name + " without an instance"
                    + (scope == null ? " (" + ctx.location().method().name() + " is static)" : "; call it on an object of "
                    + Errors.display(type.name())) + ".");
        }
        if (onSuper && method.isAbstract()) {
            throw SondeException.invalidInput(Errors.code(source) + " calls an abstract method, which has no code to run.");
        }
        ctx.requireInvoke(source, Errors.display(method.declaringType().name()) + "." + name);
        ObjectReference receiver = receiverText != null ? ctx.mirror(receiverText) : object;
        List<Value> prepared = Conversions.arguments(ctx, source, method, choice.variableArity(), values);
        if (TargetCalls.endsTheVm(method)) {
            ctx.evaluator().calls().requireExitConfirmed(source, Errors.display(method.declaringType().name()) + "." + name);
            VmExitCall.start(ctx, source, method, receiver, prepared);
            return Operand.NoValue.VOID;
        }
        Value result = ctx.call(source, Errors.display(method.declaringType().name()) + "." + name, invocation(ctx, method, receiver, prepared));
        if (method.returnTypeName().equals("void")) {
            return Operand.NoValue.VOID;
        }
        return Operand.of(result, method.returnTypeName(), returnType(method));
    }

    /** The declared return type of the overload the arguments' static types choose; reads no value and runs no code. */
    @Override
    public StaticType type(Context ctx) {
        try {
            ReferenceType type;
            if (onSuper) {
                type = ((ClassType) ctx.location().declaringType()).superclass();
            } else if (scope == null) {
                type = implicitReceiver(ctx).type();
            } else {
                ReferenceType named = scope.namedClass(ctx);
                if (named != null) {
                    type = named;
                } else if (scope.type(ctx) instanceof StaticType.Reference reference) {
                    type = reference.type();
                } else {
                    return null;
                }
            }
            List<StaticType> types = new ArrayList<>(arguments.size());
            for (Node argument : arguments) {
                StaticType argumentType = argument.type(ctx);
                if (argumentType == null) {
                    return null;
                }
                types.add(argumentType);
            }
            Method method = choose(ctx, type, null, types).method();
            return method.returnTypeName().equals("void") ? null : returnType(method);
        } catch (SondeException unknown) {
            return null;
        }
    }

    private TargetCalls.Call invocation(Context ctx, Method method, ObjectReference receiver, List<Value> values) {
        int options = ObjectReference.INVOKE_SINGLE_THREADED | (onSuper ? ObjectReference.INVOKE_NONVIRTUAL : 0);
        if (!method.isStatic()) {
            return () -> receiver.invokeMethod(ctx.thread(), method, values, options);
        }
        if (method.declaringType() instanceof InterfaceType type) {
            return () -> type.invokeMethod(ctx.thread(), method, values, options);
        }
        ClassType type = (ClassType) method.declaringType();
        return () -> type.invokeMethod(ctx.thread(), method, values, options);
    }

    private ObjectReference requireThis(Context ctx) {
        ObjectReference self = ctx.thisObject();
        if (self == null) {
            throw SondeException.invalidInput("There is no 'this' in static method " + ctx.location().method().name()
                    + ", so " + Errors.code(source) + " cannot be called.");
        }
        return self;
    }

    /** The overload for these argument types, from the static type's methods, else the object's own class's. */
    private Overloads.Choice choose(Context ctx, ReferenceType type, ObjectReference object, List<StaticType> types) {
        Key key = new Key(type, types);
        Overloads.Choice known = choices.get(key);
        if (known != null) {
            return known;
        }
        List<Method> candidates = candidates(ctx, type);
        ReferenceType owner = type;
        if (candidates.isEmpty() && object != null && !object.referenceType().equals(type)) {
            owner = object.referenceType();
            candidates = candidates(ctx, owner);
        }
        if (candidates.isEmpty()) {
            throw SondeException.notFound(Errors.display(owner.name()) + " has no method named '" + name + "'" + methodNames(owner) + ".");
        }
        return choices.put(key, Overloads.choose(ctx, source, Errors.display(owner.name()) + "." + name, candidates, types));
    }

    private List<Method> candidates(Context ctx, ReferenceType type) {
        List<Method> found = methodsNamed(type);
        if (found.isEmpty() && (type instanceof InterfaceType || type instanceof ArrayType)) {
            found = methodsNamed(ctx.requireType("java.lang.Object"));
        }
        return found;
    }

    private List<Method> methodsNamed(ReferenceType type) {
        return type.methodsByName(name).stream().filter(m -> !m.isSynthetic() && !m.isConstructor() && !m.isStaticInitializer()).toList();
    }

    private static String methodNames(ReferenceType type) {
        String names = type.visibleMethods().stream()
                .filter(m -> !m.isSynthetic() && !m.isConstructor() && !m.isStaticInitializer() && !m.declaringType().name().equals("java.lang.Object"))
                .map(Method::name).distinct().sorted().limit(20).collect(Collectors.joining(", "));
        return names.isEmpty() ? "" : "; its methods are: " + names;
    }

    /** For an unqualified call: this class, or the innermost enclosing class that has a method of that name. */
    private Receiver implicitReceiver(Context ctx) {
        Location location = ctx.location();
        Receiver known = receivers.get(location.method());
        if (known != null) {
            return known;
        }
        List<Field> path = location.method().isStatic() ? null : List.of();
        for (ReferenceType type = location.declaringType(); type != null; type = Types.enclosing(ctx.vm(), type)) {
            if (!methodsNamed(type).isEmpty()) {
                return receivers.put(location.method(), new Receiver(type, path));
            }
            Field enclosing = Types.enclosingInstance(type);
            if (path != null && enclosing != null) {
                List<Field> longer = new ArrayList<>(path);
                longer.add(enclosing);
                path = List.copyOf(longer);
            } else {
                path = null;
            }
        }
        throw SondeException.notFound("No method named '" + name + "' is visible in " + location.method().name() + " of "
                + Errors.display(location.declaringType().name()) + "; call it on an object or a class.");
    }

    private StaticType returnType(Method method) {
        StaticType known = returnTypes.get(method);
        return known != null ? known : returnTypes.put(method, StaticType.declared(method.returnTypeName(), method::returnType));
    }
}
