package dev.sonde.jdi.eval;

import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;

import java.util.List;
import java.util.Optional;

/** Finds loaded classes by the names a Java programmer would write in an expression. */
final class Types {

    private Types() {
    }

    /**
     * Resolves a simple or qualified class name among the loaded classes: as written, then in the package
     * of {@code context}, then nested in {@code context}, then in {@code java.lang}.
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
                Optional<ReferenceType> samePackage = byName(vm, contextName.substring(0, lastDot + 1) + name);
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

    private static Optional<ReferenceType> byName(VirtualMachine vm, String name) {
        List<ReferenceType> types = vm.classesByName(name);
        return types.stream().filter(ReferenceType::isPrepared).findFirst();
    }
}
