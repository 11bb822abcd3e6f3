package dev.sonde.jdi.eval;

import com.sun.jdi.ClassType;
import dev.sonde.core.error.SondeException;

/** A simple name; what it stands for is resolved per code location (see {@link LocationPlan}). */
record NameNode(String source, int slot) implements Assignable {

    @Override
    public Operand eval(Context ctx) {
        return ctx.plan().binding(slot).read(ctx);
    }

    @Override
    public StaticType type(Context ctx) {
        return switch (ctx.plan().binding(slot)) {
            case NameBinding.Local local -> local.type();
            case NameBinding.InstanceField field -> field.type();
            case NameBinding.StaticField field -> field.type();
            default -> null;
        };
    }

    @Override
    public com.sun.jdi.ReferenceType namedClass(Context ctx) {
        return ctx.plan().binding(slot) instanceof NameBinding.Type named ? named.type() : null;
    }

    @Override
    public Place place(Context ctx) {
        return switch (ctx.plan().binding(slot)) {
            case NameBinding.Local local -> new Place.Local(local.index(), local.variable(), local.type());
            case NameBinding.InstanceField field -> new Place.InstanceField(ctx.holder(field.path()), field.field(), field.type());
            case NameBinding.StaticField field when field.holder() instanceof ClassType holder ->
                    new Place.StaticField(holder, field.field(), field.type());
            default -> throw SondeException.invalidInput(Errors.code(source) + " is not a variable or field, so it cannot be assigned.");
        };
    }
}
