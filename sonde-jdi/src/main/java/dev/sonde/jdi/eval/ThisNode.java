package dev.sonde.jdi.eval;

import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.Field;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import dev.sonde.core.error.SondeException;

/** {@code this}, or {@code Outer.this}: an enclosing instance, reached through the {@code this$0} fields of inner classes. */
record ThisNode(String source, String qualifier) implements Node {

    @Override
    public Operand eval(Context ctx) {
        ObjectReference self = ctx.thisObject();
        if (self == null) {
            throw SondeException.invalidInput("There is no 'this' in static method " + ctx.location().method().name() + ".");
        }
        ReferenceType type = ctx.location().declaringType();
        if (qualifier == null) {
            return Operand.Reference.of(self, type);
        }
        String nested = "$" + qualifier.replace('.', '$');
        while (!type.name().equals(qualifier) && !type.name().endsWith("." + qualifier) && !type.name().endsWith(nested)) {
            Field enclosing = Types.enclosingInstance(type);
            if (enclosing == null) {
                throw SondeException.notFound(Errors.code(source) + " names no enclosing instance of this code;"
                        + " the code is not inside " + qualifier + ", or keeps no reference to it.");
            }
            self = (ObjectReference) self.getValue(enclosing);
            try {
                type = (ReferenceType) enclosing.type();
            } catch (ClassNotLoadedException e) {
                type = self.referenceType();
            }
        }
        return Operand.Reference.of(self, type);
    }

    @Override
    public StaticType type(Context ctx) {
        return ctx.thisObject() == null ? null : ((Operand.Reference) eval(ctx)).staticType();
    }
}
