package dev.sonde.jdi.eval;

import com.sun.jdi.Field;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.ReferenceType;

import java.util.List;

/** What a simple name in an expression stands for at one code location; resolved once per location. */
sealed interface NameBinding {

    Operand read(Context ctx);

    /** A local or argument; {@code index} is its place among the locals fetched together. */
    record Local(int index, LocalVariable variable, StaticType type) implements NameBinding {
        @Override
        public Operand read(Context ctx) {
            return Operand.of(ctx.local(index), variable.typeName(), type);
        }
    }

    /**
     * A field of {@code this}, or of an enclosing instance reached through {@code path} (the {@code this$0} fields of
     * inner classes); also a local captured by an anonymous or local class ({@code val$name}).
     */
    record InstanceField(List<Field> path, Field field, StaticType type) implements NameBinding {
        @Override
        public Operand read(Context ctx) {
            return Operand.of(ctx.holder(path).getValue(field), field.typeName(), type);
        }
    }

    record StaticField(ReferenceType holder, Field field, StaticType type) implements NameBinding {
        @Override
        public Operand read(Context ctx) {
            return Operand.of(holder.getValue(field), field.typeName(), type);
        }
    }

    record Type(ReferenceType type) implements NameBinding {
        @Override
        public Operand read(Context ctx) {
            return new Operand.ClassName(type);
        }
    }

    /** The first part of a qualified class name ({@code java} in {@code java.util.List}). */
    record Package(String name) implements NameBinding {
        @Override
        public Operand read(Context ctx) {
            return new Operand.PackageName(name);
        }
    }
}
