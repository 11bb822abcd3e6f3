package dev.sonde.core.classes;

import java.util.List;

/** The methods a loaded class declares, in declaration order. */
public record ClassMethods(LoadedClass type, List<MethodInfo> methods) {

    public ClassMethods {
        methods = List.copyOf(methods);
    }
}
