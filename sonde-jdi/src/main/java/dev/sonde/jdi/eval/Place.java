package dev.sonde.jdi.eval;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.InvalidTypeException;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.Value;
import dev.sonde.core.error.SondeException;

/** Somewhere an assignment can store a value: a local, a field, an array element. */
sealed interface Place {

    /** The declared type's name. */
    String typeName();

    StaticType type();

    boolean isFinal();

    Operand read(Context ctx);

    void write(Context ctx, Value value) throws InvalidTypeException, ClassNotLoadedException;

    /** Stores a value already converted to the place's type. */
    static void store(Context ctx, Place place, Value value, String source) {
        try {
            place.write(ctx, value);
        } catch (InvalidTypeException e) {
            if (place instanceof Element && value != null) {
                throw Errors.threw(source, "java.lang.ArrayStoreException", value.type().name());
            }
            throw SondeException.invalidInput(Errors.code(source) + " cannot store that value there (" + e.getMessage() + ").");
        } catch (ClassNotLoadedException e) {
            throw SondeException.invalidInput(Errors.code(source) + " cannot store that value there (" + e.getMessage() + ").");
        }
    }

    record Local(int index, LocalVariable variable, StaticType type) implements Place {
        @Override
        public String typeName() {
            return variable.typeName();
        }

        @Override
        public boolean isFinal() {
            return false;
        }

        @Override
        public Operand read(Context ctx) {
            return Operand.of(ctx.local(index), variable.typeName(), type);
        }

        @Override
        public void write(Context ctx, Value value) throws InvalidTypeException, ClassNotLoadedException {
            ctx.frame().setValue(variable, value);
            ctx.localChanged(index, value);
        }
    }

    record InstanceField(ObjectReference holder, Field field, StaticType type) implements Place {
        @Override
        public String typeName() {
            return field.typeName();
        }

        @Override
        public boolean isFinal() {
            return field.isFinal();
        }

        @Override
        public Operand read(Context ctx) {
            return Operand.of(holder.getValue(field), field.typeName(), type);
        }

        @Override
        public void write(Context ctx, Value value) throws InvalidTypeException, ClassNotLoadedException {
            holder.setValue(field, value);
        }
    }

    record StaticField(ClassType holder, Field field, StaticType type) implements Place {
        @Override
        public String typeName() {
            return field.typeName();
        }

        @Override
        public boolean isFinal() {
            return field.isFinal();
        }

        @Override
        public Operand read(Context ctx) {
            return Operand.of(holder.getValue(field), field.typeName(), type);
        }

        @Override
        public void write(Context ctx, Value value) throws InvalidTypeException, ClassNotLoadedException {
            holder.setValue(field, value);
        }
    }

    record Element(ArrayReference array, int index, String typeName, StaticType type) implements Place {
        @Override
        public boolean isFinal() {
            return false;
        }

        @Override
        public Operand read(Context ctx) {
            return Operand.of(array.getValue(index), typeName, type);
        }

        @Override
        public void write(Context ctx, Value value) throws InvalidTypeException, ClassNotLoadedException {
            array.setValue(index, value);
        }
    }
}
