package dev.sonde.jdi.eval;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.Field;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the names of one expression stand for at one code location, and the locals among them, which each evaluation
 * fetches in a single request. Built at the first evaluation at a location and reused for every later one there.
 */
final class LocationPlan {

    /** A simple name as the expression uses it; a qualifier may turn out to be the start of a package name. */
    record Name(String name, boolean qualifier) {
    }

    private static final Value[] NO_VALUES = new Value[0];

    private final NameBinding[] bindings;
    private final List<LocalVariable> locals;

    private LocationPlan(NameBinding[] bindings, List<LocalVariable> locals) {
        this.bindings = bindings;
        this.locals = locals;
    }

    List<LocalVariable> locals() {
        return locals;
    }

    NameBinding binding(int slot) {
        return bindings[slot];
    }

    /** The values of the locals the expression names, in one request. */
    Value[] fetchLocals(StackFrame frame) {
        return switch (locals.size()) {
            case 0 -> NO_VALUES;
            case 1 -> new Value[] {frame.getValue(locals.getFirst())};
            default -> {
                Map<LocalVariable, Value> values = frame.getValues(locals);
                Value[] fetched = new Value[locals.size()];
                for (int i = 0; i < fetched.length; i++) {
                    fetched[i] = values.get(locals.get(i));
                }
                yield fetched;
            }
        };
    }

    static LocationPlan build(StackFrame frame, List<Name> names) {
        NameBinding[] bindings = new NameBinding[names.size()];
        List<LocalVariable> locals = new ArrayList<>();
        for (int slot = 0; slot < bindings.length; slot++) {
            bindings[slot] = resolve(frame, names.get(slot), locals);
        }
        return new LocationPlan(bindings, List.copyOf(locals));
    }

    /** Java's order: a local, then a field of this class or an enclosing one, then a class, then a package. */
    private static NameBinding resolve(StackFrame frame, Name name, List<LocalVariable> locals) {
        LocalVariable local = visibleVariable(frame, name.name());
        if (local != null) {
            int index = locals.indexOf(local);
            if (index < 0) {
                index = locals.size();
                locals.add(local);
            }
            return new NameBinding.Local(index, local, StaticType.declared(local.typeName(), local.genericSignature(), local::type));
        }
        NameBinding field = field(frame.virtualMachine(), frame.location(), name.name());
        if (field != null) {
            return field;
        }
        Optional<ReferenceType> type = Types.find(frame.virtualMachine(), name.name(), frame.location().declaringType());
        if (type.isPresent()) {
            return new NameBinding.Type(type.get());
        }
        if (name.qualifier()) {
            return new NameBinding.Package(name.name());
        }
        throw unknown(frame, name.name());
    }

    private static LocalVariable visibleVariable(StackFrame frame, String name) {
        try {
            return frame.visibleVariableByName(name);
        } catch (AbsentInformationException e) {
            return null;
        }
    }

    /**
     * A field named {@code name} in the class of the code, or in a class around it: inner classes reach their enclosing
     * instance through {@code this$0}, anonymous and local classes keep captured locals in {@code val$name}.
     */
    private static NameBinding field(VirtualMachine vm, Location location, String name) {
        Method method = location.method();
        List<Field> path = method.isStatic() ? null : List.of();
        for (ReferenceType type = location.declaringType(); type != null; type = Types.enclosing(vm, type)) {
            Field field = type.fieldByName(name);
            if (field == null && path != null) {
                field = type.fieldByName("val$" + name);
            }
            if (field != null) {
                StaticType declared = StaticType.declared(field.typeName(), field.genericSignature(), field::type);
                if (field.isStatic()) {
                    return new NameBinding.StaticField(field.declaringType(), field, declared);
                }
                if (path == null) {
                    throw SondeException.invalidInput("'" + name + "' is an instance field of " + Errors.display(type.name())
                            + ", and " + method.name() + " has no instance of it to read the field from.");
                }
                return new NameBinding.InstanceField(path, field, declared);
            }
            Field enclosingInstance = Types.enclosingInstance(type);
            path = path != null && enclosingInstance != null ? append(path, enclosingInstance) : null;
        }
        return null;
    }

    private static List<Field> append(List<Field> path, Field next) {
        List<Field> longer = new ArrayList<>(path);
        longer.add(next);
        return List.copyOf(longer);
    }

    static SondeException unknown(StackFrame frame, String name) {
        return SondeException.notFound("No variable, field or class named '" + name + "' is visible in "
                + frame.location().method().name() + visibleNames(frame) + ".");
    }

    private static String visibleNames(StackFrame frame) {
        try {
            List<LocalVariable> locals = frame.visibleVariables();
            return locals.isEmpty() ? "" : "; visible here: " + locals.stream().map(LocalVariable::name).collect(Collectors.joining(", "));
        } catch (AbsentInformationException e) {
            return " (the class was compiled without local variable names)";
        }
    }
}
