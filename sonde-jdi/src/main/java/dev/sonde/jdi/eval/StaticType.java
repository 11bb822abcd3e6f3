package dev.sonde.jdi.eval;

import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.Type;

/**
 * The type Java gives an operand where it is written (a local's declared type, a method's return type), as far as
 * the target has loaded it. Overload resolution and member lookup start from it, as javac's do.
 */
sealed interface StaticType permits PrimitiveKind, StaticType.Reference, StaticType.NullType {

    String typeName();

    /** Asks a field, local or method for its type, which throws when the target has not loaded that type. */
    @FunctionalInterface
    interface Lookup {
        Type type() throws ClassNotLoadedException;
    }

    /** The static type of something declared with type {@code typeName}; an unloaded class gives {@link NullType}. */
    static StaticType declared(String typeName, Lookup lookup) {
        PrimitiveKind primitive = PrimitiveKind.named(typeName);
        if (primitive != null) {
            return primitive;
        }
        try {
            return lookup.type() instanceof ReferenceType type ? new Reference(type) : NullType.NULL;
        } catch (ClassNotLoadedException e) {
            return NullType.NULL;
        }
    }

    /** A class, interface or array type. */
    record Reference(ReferenceType type) implements StaticType {
        @Override
        public String typeName() {
            return type.name();
        }
    }

    /** The type of {@code null}, and of a reference whose declared type the target has not loaded. */
    enum NullType implements StaticType {
        NULL;

        @Override
        public String typeName() {
            return "null";
        }
    }
}
