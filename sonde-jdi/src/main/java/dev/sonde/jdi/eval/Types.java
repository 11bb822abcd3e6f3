package dev.sonde.jdi.eval;

import com.sun.jdi.ArrayType;
import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.InterfaceType;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;

import java.util.List;
import java.util.Optional;

/** Finds loaded classes by the names a Java programmer would write, and answers Java's subtype questions about them. */
final class Types {

    private Types() {
    }

    /**
     * Resolves a simple or qualified class name among the loaded classes: as written, then in the package of
     * {@code context}, then nested in {@code context} or a class enclosing it, then in {@code java.lang}. The source's
     * imports are unknown, so other classes need their full name; listing all loaded classes to guess would make
     * every later stop slower (see NestedClasses).
     */
    static Optional<ReferenceType> find(VirtualMachine vm, String name, ReferenceType context) {
        Optional<ReferenceType> exact = byName(vm, name);
        if (exact.isPresent()) {
            return exact;
        }
        if (context != null) {
            String contextName = context.name();
            int lastDot = contextName.lastIndexOf('.');
            if (lastDot > 0) {
                Optional<ReferenceType> samePackage = byName(vm, contextName.substring(0, lastDot + 1) + name.replace('.', '$'));
                if (samePackage.isPresent()) {
                    return samePackage;
                }
            }
            // Walk outwards through enclosing classes: Outer$Inner$Name, Outer$Name.
            for (String outer = contextName; ; ) {
                Optional<ReferenceType> nested = byName(vm, outer + "$" + name.replace('.', '$'));
                if (nested.isPresent()) {
                    return nested;
                }
                int dollar = outer.lastIndexOf('$');
                if (dollar < 0) {
                    break;
                }
                outer = outer.substring(0, dollar);
            }
        }
        if (name.indexOf('.') < 0) {
            return byName(vm, "java.lang." + name);
        }
        // pkg.Outer.Inner written with dots.
        int lastDot = name.lastIndexOf('.');
        return byName(vm, name.substring(0, lastDot) + "$" + name.substring(lastDot + 1));
    }

    /**
     * The field in which an inner, local or anonymous class keeps its enclosing instance ({@code this$0}, or
     * {@code this$1} one level deeper), or null: a static nested class has none, and javac leaves it out when unused.
     */
    static Field enclosingInstance(ReferenceType type) {
        for (Field field : type.fields()) {
            if (field.name().startsWith("this$") && !field.isStatic()) {
                return field;
            }
        }
        return null;
    }

    /** The class a nested, inner, local or anonymous class is written in, if loaded; null for a top-level class. */
    static ReferenceType enclosing(VirtualMachine vm, ReferenceType type) {
        String name = type.name();
        int dollar = name.lastIndexOf('$');
        return dollar <= 0 ? null : byName(vm, name.substring(0, dollar)).orElse(null);
    }

    static Optional<ReferenceType> byName(VirtualMachine vm, String name) {
        List<ReferenceType> types = vm.classesByName(name);
        for (ReferenceType type : types) {
            if (type.isPrepared()) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** Whether a value of type {@code from} can be assigned to a variable of the reference type named {@code to}. */
    static boolean isAssignable(ReferenceType from, String to) {
        if (from.name().equals(to) || to.equals("java.lang.Object")) {
            return true;
        }
        return switch (from) {
            case ClassType type -> {
                for (ClassType superclass = type.superclass(); superclass != null; superclass = superclass.superclass()) {
                    if (superclass.name().equals(to)) {
                        yield true;
                    }
                }
                yield type.allInterfaces().stream().anyMatch(i -> i.name().equals(to));
            }
            case InterfaceType type -> type.superinterfaces().stream().anyMatch(i -> isAssignable(i, to));
            case ArrayType type -> to.equals("java.lang.Cloneable") || to.equals("java.io.Serializable")
                    || to.endsWith("[]") && componentAssignable(type, to.substring(0, to.length() - 2));
            default -> false;
        };
    }

    private static boolean componentAssignable(ArrayType array, String toComponent) {
        String component = array.componentTypeName();
        if (PrimitiveKind.named(component) != null || PrimitiveKind.named(toComponent) != null) {
            return component.equals(toComponent);
        }
        try {
            return array.componentType() instanceof ReferenceType type && isAssignable(type, toComponent);
        } catch (ClassNotLoadedException e) {
            return false;
        }
    }
}
