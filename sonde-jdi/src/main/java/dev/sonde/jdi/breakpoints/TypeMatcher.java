package dev.sonde.jdi.breakpoints;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequestManager;
import dev.sonde.core.breakpoints.BreakpointSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Which classes a breakpoint spec is about, and the class-prepare requests that announce them as they load.
 * A class named by the user covers the classes nested in it, because their code (inner, anonymous and
 * local classes) sits in the same source file between the outer class's lines.
 */
sealed interface TypeMatcher {

    /** Whether the type belongs to the spec. May ask the target for the type's source name. */
    boolean matches(ReferenceType type);

    /** Whether a type name alone is a likely match (cheap pre-filter over all loaded classes). */
    boolean mayMatch(String typeName);

    /** Class-prepare requests that fire for every future class this matcher could match. Not yet enabled. */
    List<ClassPrepareRequest> prepareRequests(EventRequestManager requests, boolean sourceNameFilters);

    /** How to name the code the spec is about in messages ({@code Orders.java}, {@code com.acme.Orders}). */
    String describe();

    static TypeMatcher of(BreakpointSpec spec) {
        return switch (spec) {
            case BreakpointSpec.FileLine fileLine -> new SourceFile(fileLine.file(), fileLine.fileName());
            case BreakpointSpec.ClassLine classLine -> new ClassAndNested(binaryName(classLine.className()));
            case BreakpointSpec.MethodEntry method -> new ClassAndNested(binaryName(method.className()));
            case BreakpointSpec.MethodExit method -> new ClassAndNested(binaryName(method.className()));
            case BreakpointSpec.FieldWatch watch -> new ClassAndNested(binaryName(watch.className()));
            case BreakpointSpec.ExceptionThrown exception -> exception.className() == null
                    ? new NoClass() : new ClassAndNested(binaryName(exception.className()));
        };
    }

    /**
     * A class name as the JVM spells it: {@code com.acme.Outer.Inner} is written the way Java source names a nested
     * class, and becomes {@code com.acme.Outer$Inner}. Packages are lower case by convention, so every segment after
     * the first one that starts with a capital is a nested class.
     */
    static String binaryName(String className) {
        String[] segments = className.split("\\.");
        StringBuilder name = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                name.append(inClass ? '$' : '.');
            }
            name.append(segments[i]);
            inClass |= !segments[i].isEmpty() && Character.isUpperCase(segments[i].charAt(0));
        }
        return name.toString();
    }

    /** For specs about no class in particular (an exception breakpoint for every exception). */
    record NoClass() implements TypeMatcher {
        @Override
        public boolean matches(ReferenceType type) {
            return false;
        }

        @Override
        public boolean mayMatch(String typeName) {
            return false;
        }

        @Override
        public List<ClassPrepareRequest> prepareRequests(EventRequestManager requests, boolean sourceNameFilters) {
            return List.of();
        }

        @Override
        public String describe() {
            return "any class";
        }
    }

    /** A class by qualified or simple name, with its nested classes. */
    record ClassAndNested(String className) implements TypeMatcher {

        boolean simple() {
            return className.indexOf('.') < 0;
        }

        /** Whether the type is the named class itself (not one nested in it). */
        boolean isOuter(ReferenceType type) {
            String name = type.name();
            return name.equals(className) || simple() && name.endsWith("." + className);
        }

        @Override
        public boolean matches(ReferenceType type) {
            return mayMatch(type.name());
        }

        @Override
        public boolean mayMatch(String name) {
            if (name.equals(className) || name.startsWith(className + "$")) {
                return true;
            }
            if (!simple()) {
                return false;
            }
            int lastDot = name.lastIndexOf('.');
            String local = name.substring(lastDot + 1);
            return local.equals(className) || local.startsWith(className + "$");
        }

        @Override
        public List<ClassPrepareRequest> prepareRequests(EventRequestManager requests, boolean sourceNameFilters) {
            List<ClassPrepareRequest> prepare = new ArrayList<>();
            if (simple()) {
                ClassPrepareRequest anyPackage = requests.createClassPrepareRequest();
                if (sourceNameFilters) {
                    // Class filters cannot say "*.Name$*"; the source file name covers the nested classes. A nested
                    // class (Outer$Inner) lives in its top-level class's file.
                    int dollar = className.indexOf('$');
                    anyPackage.addSourceNameFilter((dollar > 0 ? className.substring(0, dollar) : className) + ".*");
                } else {
                    anyPackage.addClassFilter("*." + className);
                }
                prepare.add(anyPackage);
                if (!sourceNameFilters) {
                    return prepare;
                }
            }
            ClassPrepareRequest outer = requests.createClassPrepareRequest();
            outer.addClassFilter(className);
            ClassPrepareRequest nested = requests.createClassPrepareRequest();
            nested.addClassFilter(className + "$*");
            prepare.add(outer);
            prepare.add(nested);
            return prepare;
        }

        @Override
        public String describe() {
            return className;
        }
    }

    /** Every class compiled from a source file, optionally qualified by its directory ({@code com/acme/Orders.java}). */
    record SourceFile(String path, String fileName) implements TypeMatcher {

        /**
         * Class names the path could name, longest first: {@code src/main/java/com/acme/Orders.java} gives
         * {@code src.main.java.com.acme.Orders}, {@code main.java.com.acme.Orders}, ... {@code acme.Orders}.
         */
        List<String> candidateClassNames() {
            String hint = packageHint();
            List<String> names = new ArrayList<>();
            if (hint == null) {
                names.add(baseName());
                return names;
            }
            String[] segments = hint.split("\\.");
            for (int first = 0; first < segments.length; first++) {
                names.add(String.join(".", java.util.Arrays.asList(segments).subList(first, segments.length)) + "." + baseName());
            }
            return names;
        }

        String packageHint() {
            int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
            return slash < 0 ? null : path.substring(0, slash).replace('\\', '/').replace('/', '.');
        }

        private String baseName() {
            int dot = fileName.lastIndexOf('.');
            return dot < 0 ? fileName : fileName.substring(0, dot);
        }

        @Override
        public boolean matches(ReferenceType type) {
            try {
                if (!type.sourceName().equals(fileName)) {
                    return false;
                }
            } catch (AbsentInformationException e) {
                return false;
            }
            String hint = packageHint();
            if (hint == null) {
                return true;
            }
            String name = type.name();
            String typePackage = name.lastIndexOf('.') < 0 ? "" : name.substring(0, name.lastIndexOf('.'));
            // A path may include directories above the package root (src/main/java/com/acme/Orders.java).
            return hint.equals(typePackage) || hint.endsWith("." + typePackage) || typePackage.isEmpty();
        }

        @Override
        public boolean mayMatch(String name) {
            String local = name.substring(name.lastIndexOf('.') + 1);
            return local.equals(baseName()) || local.startsWith(baseName() + "$");
        }

        @Override
        public List<ClassPrepareRequest> prepareRequests(EventRequestManager requests, boolean sourceNameFilters) {
            ClassPrepareRequest request = requests.createClassPrepareRequest();
            if (sourceNameFilters) {
                request.addSourceNameFilter(fileName);
            } else {
                request.addClassFilter("*." + baseName());
            }
            return List.of(request);
        }

        @Override
        public String describe() {
            return fileName;
        }
    }
}
