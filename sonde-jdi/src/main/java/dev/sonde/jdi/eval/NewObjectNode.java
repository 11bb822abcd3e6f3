package dev.sonde.jdi.eval;

import com.sun.jdi.ClassType;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.Value;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.List;

/** {@code new Type(arguments)}: a constructor chosen by Java's overload rules, run in the target. */
final class NewObjectNode implements Node {

    private record Key(ReferenceType type, List<StaticType> arguments) {
    }

    private final String source;
    private final TypeSpec type;
    private final List<Node> arguments;
    private final Memo<Key, Overloads.Choice> choices = new Memo<>();

    NewObjectNode(String source, TypeSpec type, List<Node> arguments) {
        this.source = source;
        this.type = type;
        this.arguments = arguments;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Operand eval(Context ctx) {
        ClassType created = instantiable(type.primitive() == null ? type.loaded(ctx) : null);
        List<Operand> values = new ArrayList<>(arguments.size());
        List<StaticType> types = new ArrayList<>(arguments.size());
        for (Node argument : arguments) {
            Operand value = argument.eval(ctx);
            values.add(value);
            types.add(Overloads.argumentType(ctx, argument, value));
        }
        Key key = new Key(created, types);
        Overloads.Choice choice = choices.get(key);
        if (choice == null) {
            List<Method> constructors = created.methods().stream().filter(Method::isConstructor).toList();
            choice = choices.put(key, Overloads.choose(ctx, source, "new " + Errors.display(created.name()), constructors, types));
        }
        Method constructor = choice.method();
        String what = "new " + Errors.display(created.name());
        ctx.requireInvoke(source, what);
        List<Value> prepared = Conversions.arguments(ctx, source, constructor, choice.variableArity(), values);
        ObjectReference object = (ObjectReference) ctx.call(source, what,
                () -> created.newInstance(ctx.thread(), constructor, prepared, ObjectReference.INVOKE_SINGLE_THREADED));
        return Operand.Reference.of(ctx.pin(object), created);
    }

    @Override
    public StaticType type(Context ctx) {
        ReferenceType loaded = type.primitive() == null ? type.loaded(ctx) : null;
        return loaded == null ? null : new StaticType.Reference(loaded);
    }

    private ClassType instantiable(ReferenceType resolved) {
        if (resolved instanceof ClassType classType && !classType.isAbstract() && !classType.isEnum()) {
            return classType;
        }
        throw SondeException.invalidInput(Errors.code(source) + " cannot create " + type.written()
                + ": only concrete classes can be instantiated (not interfaces, abstract classes, enums or primitives).");
    }
}
