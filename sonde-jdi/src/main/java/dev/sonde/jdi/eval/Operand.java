package dev.sonde.jdi.eval;

import com.sun.jdi.ObjectReference;
import com.sun.jdi.PrimitiveValue;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.Value;

/** What a sub-expression evaluates to while the expression is evaluated. */
sealed interface Operand {

    /** A value read from the target, typed as declared. */
    static Operand of(Value value, String typeName, StaticType type) {
        if (type instanceof PrimitiveKind kind) {
            return new Primitive(kind, (PrimitiveValue) value);
        }
        return type instanceof StaticType.Reference known
                ? new Reference((ObjectReference) value, typeName, known.type(), known.generic())
                : new Reference((ObjectReference) value, typeName, null);
    }

    /** A primitive; {@code value} is of {@code kind}. */
    record Primitive(PrimitiveKind kind, PrimitiveValue value) implements Operand {
    }

    /**
     * An object in the target, or null. {@code typeName} is the static type's name (what a null renders as);
     * {@code type} is the static type when the target has loaded it, else null.
     */
    record Reference(ObjectReference value, String typeName, ReferenceType type, GenericTypes.Sig generic) implements Operand {

        static final Reference NULL = new Reference(null, "null", null);

        Reference(ObjectReference value, String typeName, ReferenceType type) {
            this(value, typeName, type, null);
        }

        static Reference of(ObjectReference value, ReferenceType type) {
            return new Reference(value, type.name(), type);
        }

        /** The static type, or the object's own type when the static one is unknown; null for an untyped null. */
        ReferenceType typeOrRuntime() {
            return type != null ? type : value == null ? null : value.referenceType();
        }

        StaticType staticType() {
            ReferenceType known = typeOrRuntime();
            return known == null ? StaticType.NullType.NULL : new StaticType.Reference(known, type != null ? generic : null);
        }
    }

    /**
     * A string computed by Sonde (a literal, a concatenation) that is not in the target until it must be;
     * {@code constant} when Java would intern it (a literal, or literals concatenated).
     */
    record HostString(String text, boolean constant) implements Operand {
    }

    /** What a call to a void method leaves. */
    enum NoValue implements Operand {
        VOID
    }

    /** A class named where a value could stand: {@code Order} in {@code Order.count}. */
    record ClassName(ReferenceType type) implements Operand {
    }

    /** A package named on the way to a class: {@code java.util} in {@code java.util.List.of()}. */
    record PackageName(String name) implements Operand {
    }
}
