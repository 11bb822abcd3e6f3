package dev.sonde.jdi.sources;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.Location;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import dev.sonde.jdi.stepping.StepFilters;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The source files behind the loaded classes, and which of their lines hold code. */
public final class LoadedSources {

    private final VirtualMachine vm;
    private final StepFilters filters;

    public LoadedSources(VirtualMachine vm, StepFilters filters) {
        this.vm = vm;
        this.filters = filters;
    }

    /** Source paths under a source root ({@code com/acme/Orders.java}) of the loaded classes outside the JDK. */
    public List<String> paths() {
        TreeSet<String> paths = new TreeSet<>();
        for (ReferenceType type : vm.allClasses()) {
            if (!filters.excludes(type.name())) {
                String path = sourcePath(type);
                if (path != null) {
                    paths.add(path);
                }
            }
        }
        return List.copyOf(paths);
    }

    /**
     * The lines from {@code fromLine} to {@code toLine} with code in the classes compiled from {@code sourcePath}
     * ({@code com/acme/Orders.java}, or a bare {@code Orders.java} for any package).
     */
    public List<Integer> codeLines(String sourcePath, int fromLine, int toLine) {
        String path = sourcePath.replace('\\', '/');
        int slash = path.lastIndexOf('/');
        String fileName = path.substring(slash + 1);
        TreeSet<Integer> lines = new TreeSet<>();
        for (ReferenceType type : compiledFrom(path, fileName)) {
            try {
                for (Location location : type.allLineLocations()) {
                    int line = location.lineNumber();
                    if (line >= fromLine && line <= toLine) {
                        lines.add(line);
                    }
                }
            } catch (AbsentInformationException e) {
                // compiled without line numbers: nothing to offer
            }
        }
        return List.copyOf(lines);
    }

    private List<ReferenceType> compiledFrom(String path, String fileName) {
        List<ReferenceType> types = new ArrayList<>();
        for (ReferenceType type : vm.allClasses()) {
            String own = sourcePath(type);
            // A client's path is absolute or relative to some root: it ends with the class's own path.
            if (own != null && own.endsWith(fileName) && (path.equals(fileName) ? own.endsWith("/" + fileName) || own.equals(fileName)
                    : path.endsWith("/" + own) || path.equals(own))) {
                types.add(type);
            }
        }
        return types;
    }

    private static String sourcePath(ReferenceType type) {
        String name = type.name();
        if (name.endsWith("[]") || name.indexOf('/') >= 0) {
            return null;
        }
        try {
            int dot = name.lastIndexOf('.');
            String file = type.sourceName();
            return dot < 0 ? file : name.substring(0, dot).replace('.', '/') + "/" + file;
        } catch (AbsentInformationException e) {
            return null;
        }
    }
}
