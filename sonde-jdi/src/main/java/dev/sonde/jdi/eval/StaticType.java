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
        return declared(typeName, null, lookup);
    }

    /** As {@link #declared(String, Lookup)}, keeping the generic signature ({@code Ljava/util/List<Ljava/lang/String;>;}) if any. */
    static StaticType declared(String typeName, String genericSignature, Lookup lookup) {
        PrimitiveKind primitive = PrimitiveKind.named(typeName);
        if (primitive != null) {
            return primitive;
        }
        try {
            return lookup.type() instanceof ReferenceType type ? new Reference(type, GenericTypes.parse(genericSignature)) : NullType.NULL;
        } catch (ClassNotLoadedException e) {
            return NullType.NULL;
        }
    }

    /** A class, interface or array type; {@code generic} is its parameterization ({@code List<String>}) when known, else null. */
    record Reference(ReferenceType type, GenericTypes.Sig generic) implements StaticType {

        Reference(ReferenceType type) {
            this(type, null);
        }

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
