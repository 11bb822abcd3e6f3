package dev.sonde.jdi.classes;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.ArrayType;
import com.sun.jdi.ClassLoaderReference;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.classes.ClassList;
import dev.sonde.core.classes.ClassMethods;
import dev.sonde.core.classes.ClassPattern;
import dev.sonde.core.classes.Instances;
import dev.sonde.core.classes.LoadedClass;
import dev.sonde.core.classes.MethodInfo;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Rendering;
import dev.sonde.core.model.Value;
import dev.sonde.jdi.values.ValueReader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The target's loaded classes, their methods and their instances, read through JDWP without running code in the
 * target (the heap is walked by the JVM's debug agent).
 */
public final class ClassBrowser {

    private static final Comparator<ReferenceType> BY_NAME_THEN_LOADER =
            Comparator.comparing(ReferenceType::name).thenComparing(type -> loaderOf(type));

    private final VirtualMachine vm;
    private final ValueReader values;

    public ClassBrowser(VirtualMachine vm, ValueReader values) {
        this.vm = vm;
        this.values = values;
    }

    public ClassList classes(ClassPattern pattern, int limit) {
        // Array classes only when the pattern asks for them: otherwise every class would show twice or more.
        boolean arrays = pattern.text().contains("[");
        List<ReferenceType> matching = vm.allClasses().stream()
                .filter(type -> (arrays || !(type instanceof ArrayType)) && pattern.matches(type.name()))
                .sorted(BY_NAME_THEN_LOADER)
                .toList();
        return new ClassList(pattern.text(), matching.stream().limit(limit).map(ClassBrowser::loaded).toList(), matching.size());
    }

    public ClassMethods methods(String className) {
        ReferenceType type = named(className).get(0);
        List<MethodInfo> methods = new ArrayList<>();
        for (Method method : type.methods()) {
            int first = -1;
            int last = -1;
            try {
                for (Location location : method.allLineLocations()) {
                    int line = location.lineNumber();
                    if (line > 0) {
                        first = first < 0 ? line : Math.min(first, line);
                        last = Math.max(last, line);
                    }
                }
            } catch (AbsentInformationException noLines) {
                // compiled without -g:lines, or native or abstract: no range to show
            }
            methods.add(new MethodInfo(method.name(), method.isConstructor() || method.isStaticInitializer() ? "void" : method.returnTypeName(),
                    method.argumentTypeNames(), method.isStatic(), method.isNative(), method.isAbstract(), method.isSynthetic(), first, last));
        }
        return new ClassMethods(loaded(type), methods);
    }

    public List<Instances> instances(String className, int first) {
        if (!vm.canGetInstanceInfo()) {
            throw new SondeException(ErrorKind.UNSUPPORTED, "This JVM cannot count instances (its debug agent lacks the heap walk);"
                    + " `instances` needs a HotSpot JVM 6 or newer.");
        }
        List<ReferenceType> types = named(className);
        long[] counts = vm.instanceCounts(types);
        List<Instances> all = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            ReferenceType type = types.get(i);
            List<Value> shown = new ArrayList<>();
            if (first > 0 && counts[i] > 0) {
                for (ObjectReference instance : type.instances(first)) {
                    shown.add(values.read(instance, type.name(), 0));
                }
            }
            all.add(new Instances(loaded(type), counts[i], shown));
        }
        return all;
    }

    /**
     * The loaded classes with this full name (one per loader), or else the ones whose simple name it is, when they share
     * one full name.
     */
    private List<ReferenceType> named(String className) {
        String name = className.strip();
        List<ReferenceType> exact = vm.classesByName(name).stream().sorted(BY_NAME_THEN_LOADER).toList();
        if (!exact.isEmpty()) {
            return exact;
        }
        List<ReferenceType> bySimpleName = vm.allClasses().stream()
                .filter(type -> !(type instanceof ArrayType) && (type.name().endsWith("." + name) || type.name().endsWith("$" + name)))
                .sorted(BY_NAME_THEN_LOADER)
                .toList();
        List<String> names = bySimpleName.stream().map(ReferenceType::name).distinct().toList();
        if (names.isEmpty()) {
            throw SondeException.notFound("No loaded class is named " + name + "; `classes " + name
                    + "` lists the loaded classes whose names contain it (a class that has not loaded yet has nothing to show).");
        }
        if (names.size() > 1) {
            throw SondeException.invalidInput(name + " could be " + String.join(" or ", names.stream().limit(3).toList())
                    + (names.size() > 3 ? " (and " + (names.size() - 3) + " more)" : "") + "; give the full name.");
        }
        return bySimpleName;
    }

    private static LoadedClass loaded(ReferenceType type) {
        return new LoadedClass(type.name(), loaderOf(type));
    }

    private static String loaderOf(ReferenceType type) {
        try {
            ClassLoaderReference loader = type.classLoader();
            return loader == null ? "bootstrap" : Rendering.simpleName(loader.referenceType().name()) + "@" + loader.uniqueID();
        } catch (ObjectCollectedException gone) {
            return "unloaded";
        }
    }
}
