package dev.sonde.jdi.eval;

import com.github.javaparser.ast.expr.Expression;
import com.sun.jdi.ClassType;
import com.sun.jdi.InterfaceType;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A lambda ({@code x -> x.quantity > 2}) or a method reference ({@code Item::name}, {@code order::count}) passed to a
 * method. It becomes an object in the target: a small class implementing the functional interface, its body compiled
 * to bytecode ({@link LambdaClasses}), defined in the class loader of the code being debugged, and created with the
 * values the body captures. The class is made once per code location and interface.
 *
 * @param parameters the lambda's parameter names; empty for a method reference, whose arity the interface gives
 * @param body       the lambda's expression body; null for a method reference
 * @param captured   the names the body uses that are not its parameters, as nodes of the expression, by name
 * @param reference  for a method reference: its qualifier ({@code Item}, {@code order}) as a node, and its method name
 */
record LambdaNode(String source, List<String> parameters, Expression body, Map<String, Node> captured, Node reference,
                  String referenceSource, String method) implements Node {

    /** What a lambda's class depends on: the lambda, where its captured names resolve, and the interface it implements. */
    record ClassKey(LambdaNode lambda, Location location, String interfaceName, GenericTypes.Sig parameter) {
    }

    @Override
    public Operand eval(Context ctx) {
        throw SondeException.invalidInput(Errors.code(source) + " is a " + functionType().typeName()
                + ", which Sonde evaluates only as a method's argument, such as list.stream().filter(x -> x.quantity > 2).count().");
    }

    @Override
    public StaticType type(Context ctx) {
        return functionType();
    }

    StaticType.Function functionType() {
        return new StaticType.Function(body == null ? -1 : parameters.size());
    }

    /**
     * The object implementing {@code interfaceName} for a parameter declared (generically) as {@code parameter}, created
     * in the target.
     */
    ObjectReference instantiate(Context ctx, String call, String interfaceName, GenericTypes.Sig parameter) {
        ReferenceType loaded = ctx.evaluator().loadedType(ctx.vm(), interfaceName);
        // Just loaded for the overload choice, it may not be in JDI's list of classes yet: Class.forName returns it.
        InterfaceType functional = (InterfaceType) (loaded != null ? loaded : LambdaClasses.load(ctx, call, interfaceName));
        Method sam = LambdaClasses.singleAbstractMethod(functional);
        List<String> names = new ArrayList<>();
        List<Operand> values = new ArrayList<>();
        for (Map.Entry<String, Node> name : captured.entrySet()) {
            Operand value = name.getValue().eval(ctx);
            if (value instanceof Operand.Primitive || value instanceof Operand.Reference || value instanceof Operand.HostString) {
                names.add(name.getKey());
                values.add(value);
            }
        }
        LambdaClasses.Body shape;
        if (body != null) {
            shape = new LambdaClasses.Body(parameters, body, null, null, null);
        } else {
            ReferenceType named = reference.namedClass(ctx);
            Operand receiver = named == null ? reference.eval(ctx) : null;
            if (receiver instanceof Operand.Reference object && object.value() == null) {
                throw Errors.nullDereference(referenceSource + " is null, so " + Errors.code(source) + " has nothing to call.");
            }
            if (receiver != null) {
                names.add(LambdaClasses.BOUND_RECEIVER);
                values.add(receiver);
            }
            shape = new LambdaClasses.Body(List.of(), null, named, receiver == null ? null : LambdaClasses.BOUND_RECEIVER, method);
        }
        Memo<ClassKey, ClassType> classes = ctx.evaluator().lambdaClasses();
        ClassKey key = new ClassKey(this, ctx.location(), interfaceName, parameter);
        ClassType made = classes.get(key);
        if (made == null) {
            made = classes.put(key, LambdaClasses.define(ctx, source, functional, sam, parameter, shape, names, values));
        }
        return LambdaClasses.create(ctx, source, made, values);
    }
}
