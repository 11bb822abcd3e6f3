package dev.sonde.jdi.breakpoints;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.Field;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.MethodExitEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.ExceptionRequest;
import com.sun.jdi.request.MethodExitRequest;
import com.sun.jdi.request.WatchpointRequest;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.SondeException;
import dev.sonde.jdi.eval.Evaluator;
import dev.sonde.jdi.frames.Locations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns breakpoint specs into JDI requests — line and method-entry breakpoints, method exits, exceptions and field
 * watchpoints — now for loaded classes and later for classes as they load (any class loader), and keeps each
 * breakpoint's verified state, its reason when unverified, and its {@link HitPolicy}.
 */
public final class BreakpointInstaller {

    /** Property on every request of ours that carries the Sonde breakpoint id. */
    public static final String BREAKPOINT_ID = "sonde.breakpoint";

    private final VirtualMachine vm;
    private final EventRequestManager requests;
    private final Evaluator evaluator;
    private final Duration invokeTimeout;
    private final Map<Integer, Installed> installed = new ConcurrentHashMap<>();

    /** One breakpoint and everything the target holds for it. */
    private final class Installed {
        final int id;
        final BreakpointSpec spec;
        final BreakpointOptions options;
        final TypeMatcher matcher;
        final HitPolicy policy;
        final List<ClassPrepareRequest> prepareRequests;
        /** By what the request is for: a Location, a ReferenceType (method exit, exception) or a Field. */
        final Map<Object, EventRequest> targetRequests = new LinkedHashMap<>();
        /** Where the breakpoint is set, for display: code locations, or none for exceptions and fields. */
        final List<com.sun.jdi.Location> locations = new ArrayList<>();
        final Set<ReferenceType> examined = new HashSet<>();
        Breakpoint state;
        /** Whether its requests are enabled; a breakpoint set unarmed only says where it would be. */
        boolean armed = true;

        Installed(int id, BreakpointSpec spec, BreakpointOptions options) {
            this.id = id;
            this.spec = spec;
            this.options = options;
            this.policy = new HitPolicy(id, options, evaluator, invokeTimeout);
            this.matcher = TypeMatcher.of(spec);
            this.prepareRequests = matcher.prepareRequests(requests, vm.canUseSourceNameFilters());
        }

        void deleteRequests() {
            for (ClassPrepareRequest request : prepareRequests) {
                requests.deleteEventRequest(request);
            }
            requests.deleteEventRequests(List.copyOf(targetRequests.values()));
            targetRequests.clear();
        }

        /** Hold every thread at a plain stop; only the hitting thread while a condition, message or snapshot is worked out. */
        int suspendPolicy() {
            return options.plainStop() ? EventRequest.SUSPEND_ALL : EventRequest.SUSPEND_EVENT_THREAD;
        }

        void add(Object target, EventRequest request) {
            request.putProperty(BREAKPOINT_ID, id);
            request.setSuspendPolicy(suspendPolicy());
            request.setEnabled(armed);
            targetRequests.put(target, request);
        }
    }

    /**
     * @param evaluator     compiles conditions, log messages and watches once per breakpoint
     * @param invokeTimeout how long code they run in the target may take
     */
    public BreakpointInstaller(VirtualMachine vm, Evaluator evaluator, Duration invokeTimeout) {
        this.vm = vm;
        this.requests = vm.eventRequestManager();
        this.evaluator = evaluator;
        this.invokeTimeout = invokeTimeout;
    }

    /**
     * Sets a breakpoint in every loaded class it matches and arranges for classes that load later.
     *
     * @throws SondeException when the spec can never match (a method that the loaded class lacks)
     */
    public Breakpoint set(int id, BreakpointSpec spec, BreakpointOptions options) {
        return set(id, spec, options, true);
    }

    /**
     * Sets a breakpoint as {@link #set(int, BreakpointSpec, BreakpointOptions)} does, or, when {@code armed} is false,
     * only finds where it would be, with its requests made but not enabled until {@link #arm}.
     */
    public Breakpoint set(int id, BreakpointSpec spec, BreakpointOptions options, boolean armed) {
        Installed entry = new Installed(id, spec, options);
        entry.armed = armed;
        synchronized (entry) {
            // Listen for future classes first, so none loads unseen while we scan the loaded ones.
            for (ClassPrepareRequest request : entry.prepareRequests) {
                request.putProperty(BREAKPOINT_ID, id);
                request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                request.enable();
            }
            installed.put(id, entry);
            try {
                if (spec instanceof BreakpointSpec.ExceptionThrown exception && exception.className() == null) {
                    entry.add(ExceptionRequest.class, exceptionRequest(null, exception));
                }
                List<ReferenceType> loaded = loadedMatches(entry.matcher);
                switch (spec) {
                    case BreakpointSpec.MethodEntry method -> requireMethod(entry, method.method(), loaded);
                    case BreakpointSpec.MethodExit method -> requireMethod(entry, method.method(), loaded);
                    case BreakpointSpec.FieldWatch watch -> requireField(entry, watch.field(), loaded);
                    default -> {
                    }
                }
                for (ReferenceType type : loaded) {
                    resolve(entry, type);
                }
                entry.state = state(entry);
                return entry.state;
            } catch (RuntimeException e) {
                installed.remove(id);
                entry.deleteRequests();
                throw e;
            }
        }
    }

    /** Enables the requests of a breakpoint set unarmed. */
    public void arm(int id) {
        Installed entry = installed.get(id);
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            entry.armed = true;
            entry.targetRequests.values().forEach(EventRequest::enable);
        }
    }

    /** Removes a breakpoint and its requests; returns its last state, or null when it was already gone. */
    public Breakpoint clear(int id) {
        Installed entry = installed.remove(id);
        if (entry == null) {
            return null;
        }
        synchronized (entry) {
            entry.deleteRequests();
            return entry.state;
        }
    }

    /**
     * Sets the line breakpoints in {@code className} again. The JVM drops a class's breakpoints when an agent rewrites
     * it (retransformation, as the Sonde agent does for a logpoint), while JDWP still counts them as set.
     */
    public void reinstallIn(String className) {
        for (Installed entry : installed.values()) {
            synchronized (entry) {
                for (Map.Entry<Object, EventRequest> request : List.copyOf(entry.targetRequests.entrySet())) {
                    if (request.getValue() instanceof BreakpointRequest stale && stale.location().declaringType().name().equals(className)) {
                        try {
                            requests.deleteEventRequest(stale);
                        } catch (com.sun.jdi.InternalException alreadyDropped) {
                            // the JVM dropped it with the old bytecode; JDWP forgets it all the same
                        }
                        entry.add(request.getKey(), requests.createBreakpointRequest(stale.location()));
                    }
                }
            }
        }
    }

    /** What the breakpoint does at a hit, or null when it is gone. */
    public HitPolicy policy(int id) {
        Installed entry = installed.get(id);
        return entry == null ? null : entry.policy;
    }

    /**
     * Whether an event of one of the breakpoint's requests is really a hit: a method-exit request reports every
     * method of its class, and only the named method counts.
     */
    public boolean isHit(int id, LocatableEvent event) {
        Installed entry = installed.get(id);
        if (entry == null || !event.request().isEnabled()) {
            return false;
        }
        return !(entry.spec instanceof BreakpointSpec.MethodExit exit)
                || event instanceof MethodExitEvent returning && returning.method().name().equals(exit.method());
    }

    /** The spec of a live breakpoint, or null. */
    public BreakpointSpec spec(int id) {
        Installed entry = installed.get(id);
        return entry == null ? null : entry.spec;
    }

    /**
     * A class matching some breakpoint has loaded: set the breakpoint there too.
     *
     * @return the breakpoint's new state when it changed, else null
     */
    public Breakpoint classPrepared(EventRequest request, ReferenceType type) {
        Object id = request.getProperty(BREAKPOINT_ID);
        Installed entry = id == null ? null : installed.get((Integer) id);
        if (entry == null) {
            return null;
        }
        synchronized (entry) {
            if (!installed.containsKey(entry.id) || !entry.matcher.matches(type)) {
                return null;
            }
            resolve(entry, type);
            Breakpoint next = state(entry);
            if (next.equals(entry.state)) {
                return null;
            }
            entry.state = next;
            return next;
        }
    }

    /** The breakpoint id a request belongs to, or -1. */
    public static int idOf(EventRequest request) {
        Object id = request.getProperty(BREAKPOINT_ID);
        return id instanceof Integer value ? value : -1;
    }

    /**
     * The loaded classes a spec matches. Named classes and files under a package path are looked up by name, and
     * the classes nested in them are found from their constant pools. Only a bare class or file name makes Sonde
     * list every loaded class, once per session (see {@link NestedClasses} for why that is avoided).
     */
    private List<ReferenceType> loadedMatches(TypeMatcher matcher) {
        List<ReferenceType> outers = switch (matcher) {
            case TypeMatcher.ClassAndNested named -> named.simple()
                    ? byName(List.of(named.className(), "java.lang." + named.className()), matcher)
                    : prepared(vm.classesByName(named.className()));
            case TypeMatcher.SourceFile file -> file.packageHint() == null ? List.of() : byName(file.candidateClassNames(), matcher);
            case TypeMatcher.NoClass ignored -> List.of();
        };
        if (outers.isEmpty() && needsScan(matcher)) {
            outers = scan(matcher);
        }
        List<ReferenceType> matches = new ArrayList<>(outers);
        for (ReferenceType outer : outers) {
            for (ReferenceType nested : NestedClasses.of(vm, outer)) {
                if (!matches.contains(nested) && matcher.matches(nested)) {
                    matches.add(nested);
                }
            }
        }
        return matches;
    }

    private static boolean needsScan(TypeMatcher matcher) {
        return matcher instanceof TypeMatcher.ClassAndNested named && named.simple()
                || matcher instanceof TypeMatcher.SourceFile;
    }

    private List<ReferenceType> byName(List<String> names, TypeMatcher matcher) {
        List<ReferenceType> found = new ArrayList<>();
        for (String name : names) {
            for (ReferenceType type : prepared(vm.classesByName(name))) {
                if (matcher.matches(type)) {
                    found.add(type);
                }
            }
        }
        return found;
    }

    private static List<ReferenceType> prepared(List<ReferenceType> types) {
        return types.stream().filter(ReferenceType::isPrepared).toList();
    }

    /** Every loaded top-level class that matches: the costly way, for bare names only. */
    private List<ReferenceType> scan(TypeMatcher matcher) {
        List<ReferenceType> all = vm.allClasses();
        List<ReferenceType> byName = new ArrayList<>();
        for (ReferenceType type : all) {
            if (type.isPrepared() && type.name().indexOf('$') < 0 && matcher.mayMatch(type.name()) && matcher.matches(type)) {
                byName.add(type);
            }
        }
        if (matcher instanceof TypeMatcher.SourceFile && byName.isEmpty()) {
            // A non-public class may live in a file named after another class: look at application classes' source names.
            for (ReferenceType type : all) {
                if (type.isPrepared() && type.name().indexOf('$') < 0 && !isPlatformClass(type.name()) && matcher.matches(type)) {
                    byName.add(type);
                }
            }
        }
        return byName;
    }

    private static boolean isPlatformClass(String name) {
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("com.sun.") || name.endsWith("[]");
    }

    private static List<ReferenceType> outers(Installed entry, List<ReferenceType> types) {
        return types.stream().filter(t -> ((TypeMatcher.ClassAndNested) entry.matcher).isOuter(t)).toList();
    }

    private void requireMethod(Installed entry, String method, List<ReferenceType> loaded) {
        List<ReferenceType> outers = outers(entry, loaded);
        if (outers.isEmpty() || outers.stream().anyMatch(t -> !t.methodsByName(method).isEmpty())) {
            return;
        }
        throw SondeException.notFound("C" + noSuchMethod(outers.get(0), method).substring(1) + ".");
    }

    private void requireField(Installed entry, String field, List<ReferenceType> loaded) {
        List<ReferenceType> outers = outers(entry, loaded);
        if (outers.isEmpty() || outers.stream().anyMatch(t -> t.fieldByName(field) != null)) {
            return;
        }
        throw SondeException.notFound("C" + noSuchField(outers.get(0), field).substring(1) + ".");
    }

    /** {@code class a.B has no field 'f'; its fields are: x, y} (also serves as a reason). */
    private static String noSuchField(ReferenceType type, String field) {
        Set<String> names = new TreeSet<>();
        for (Field candidate : type.allFields()) {
            if (!candidate.isSynthetic()) {
                names.add(candidate.name());
            }
        }
        return "class " + type.name() + " has no field '" + field + "'"
                + (names.isEmpty() ? "" : "; its fields are: " + String.join(", ", names));
    }

    /** {@code class a.B has no method 'm'; its methods are: x, y} (lower case, no full stop: it also serves as a reason). */
    private static String noSuchMethod(ReferenceType type, String method) {
        Set<String> names = new TreeSet<>();
        for (Method candidate : type.methods()) {
            if (!candidate.isSynthetic() && !candidate.name().startsWith("<") && !candidate.name().startsWith("lambda$")) {
                names.add(candidate.name());
            }
        }
        return "class " + type.name() + " has no method '" + method + "'"
                + (names.isEmpty() ? "" : "; its methods are: " + String.join(", ", names));
    }

    // Called with the entry's lock held.
    private void resolve(Installed entry, ReferenceType type) {
        if (!entry.examined.add(type)) {
            return;
        }
        switch (entry.spec) {
            case BreakpointSpec.FileLine fileLine -> addLineBreakpoints(entry, linesIn(type, fileLine.line()));
            case BreakpointSpec.ClassLine classLine -> addLineBreakpoints(entry, linesIn(type, classLine.line()));
            case BreakpointSpec.MethodEntry method -> addLineBreakpoints(entry, methodEntries(entry, type, method.method()));
            case BreakpointSpec.MethodExit method -> {
                List<com.sun.jdi.Location> methods = methodEntries(entry, type, method.method());
                if (!methods.isEmpty() && !entry.targetRequests.containsKey(type)) {
                    MethodExitRequest request = requests.createMethodExitRequest();
                    request.addClassFilter(type);
                    entry.add(type, request);
                    entry.locations.addAll(methods);
                }
            }
            case BreakpointSpec.ExceptionThrown exception -> {
                if (outers(entry, List.of(type)).contains(type) && !entry.targetRequests.containsKey(type)) {
                    entry.add(type, exceptionRequest(type, exception));
                }
            }
            case BreakpointSpec.FieldWatch watch -> {
                Field field = outers(entry, List.of(type)).contains(type) ? type.fieldByName(watch.field()) : null;
                if (field != null && !entry.targetRequests.containsKey(field)) {
                    if (watch.modify()) {
                        WatchpointRequest modify = requests.createModificationWatchpointRequest(field);
                        entry.add(field, modify);
                    }
                    if (watch.access()) {
                        WatchpointRequest access = requests.createAccessWatchpointRequest(field);
                        entry.add(List.of(field, "access"), access);
                    }
                }
            }
        }
    }

    private void addLineBreakpoints(Installed entry, List<com.sun.jdi.Location> locations) {
        for (com.sun.jdi.Location location : locations) {
            if (!entry.targetRequests.containsKey(location)) {
                entry.add(location, requests.createBreakpointRequest(location));
                entry.locations.add(location);
            }
        }
    }

    private ExceptionRequest exceptionRequest(ReferenceType type, BreakpointSpec.ExceptionThrown exception) {
        ExceptionRequest request = requests.createExceptionRequest(type, exception.caught(), exception.uncaught());
        exception.include().forEach(request::addClassFilter);
        exception.exclude().forEach(request::addClassExclusionFilter);
        return request;
    }

    private static List<com.sun.jdi.Location> linesIn(ReferenceType type, int line) {
        try {
            return type.locationsOfLine(line);
        } catch (AbsentInformationException e) {
            return List.of();
        }
    }

    private static List<com.sun.jdi.Location> methodEntries(Installed entry, ReferenceType type, String methodName) {
        if (!((TypeMatcher.ClassAndNested) entry.matcher).isOuter(type)) {
            return List.of();
        }
        List<com.sun.jdi.Location> entries = new ArrayList<>();
        for (Method method : type.methodsByName(methodName)) {
            // Bridges only forward to the real method: stopping there too would stop twice for one call.
            if (!method.isAbstract() && !method.isNative() && !method.isBridge() && method.location() != null) {
                entries.add(method.location());
            }
        }
        return entries;
    }

    private Breakpoint state(Installed entry) {
        if (!entry.targetRequests.isEmpty()) {
            return Breakpoint.verified(entry.id, entry.spec, entry.options,
                    entry.locations.stream().map(Locations::of).distinct().toList());
        }
        return Breakpoint.unverified(entry.id, entry.spec, entry.options, reason(entry));
    }

    private String reason(Installed entry) {
        List<ReferenceType> seen = List.copyOf(entry.examined);
        if (seen.isEmpty()) {
            return switch (entry.spec) {
                case BreakpointSpec.FileLine fileLine ->
                        "no class from " + fileLine.fileName() + " is loaded yet; it is set when one loads";
                case BreakpointSpec.ExceptionThrown exception ->
                        "exception class " + entry.matcher.describe() + " is not loaded yet; it is set when it loads";
                default -> "class " + entry.matcher.describe() + " is not loaded yet; it is set when it loads";
            };
        }
        return switch (entry.spec) {
            case BreakpointSpec.MethodEntry method -> methodReason(entry, seen, method.method());
            case BreakpointSpec.MethodExit method -> methodReason(entry, seen, method.method());
            case BreakpointSpec.FileLine fileLine -> noCodeAt(seen, fileLine.line(), fileLine.fileName(), nestedYetToLoad(seen));
            case BreakpointSpec.ClassLine classLine ->
                    noCodeAt(seen, classLine.line(), sourceName(seen, classLine.className()), nestedYetToLoad(seen));
            case BreakpointSpec.ExceptionThrown exception -> "class " + exception.className() + " is not loaded yet; it is set when it loads";
            case BreakpointSpec.FieldWatch watch -> outers(entry, seen).isEmpty()
                    ? "class " + watch.className() + " is not loaded yet; it is set when it loads"
                    : noSuchField(outers(entry, seen).get(0), watch.field());
        };
    }

    private static String methodReason(Installed entry, List<ReferenceType> seen, String method) {
        TypeMatcher.ClassAndNested matcher = (TypeMatcher.ClassAndNested) entry.matcher;
        List<ReferenceType> outers = seen.stream().filter(matcher::isOuter).toList();
        if (outers.isEmpty()) {
            return "class " + matcher.describe() + " is not loaded yet; it is set when it loads";
        }
        if (outers.stream().allMatch(t -> t.methodsByName(method).isEmpty())) {
            return noSuchMethod(outers.get(0), method);
        }
        return "method " + method + " of " + matcher.describe() + " is abstract or native: it has no code to stop in";
    }

    private static String sourceName(List<ReferenceType> types, String fallback) {
        for (ReferenceType type : types) {
            try {
                return type.sourceName();
            } catch (AbsentInformationException ignored) {
                // try the next
            }
        }
        return fallback;
    }

    /** Whether a class nested in one of these has not loaded yet (so a line without code may still get some). */
    private boolean nestedYetToLoad(List<ReferenceType> types) {
        for (ReferenceType type : types) {
            String prefix = type.name() + "$";
            for (String name : NestedClasses.classNames(type)) {
                if (name.startsWith(prefix) && vm.classesByName(name).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String noCodeAt(List<ReferenceType> types, int line, String where, boolean nestedYetToLoad) {
        TreeSet<Integer> lines = new TreeSet<>();
        boolean anyLineInfo = false;
        for (ReferenceType type : types) {
            try {
                for (com.sun.jdi.Location location : type.allLineLocations()) {
                    lines.add(location.lineNumber());
                }
                anyLineInfo = true;
            } catch (AbsentInformationException ignored) {
                // no line table in this class
            }
        }
        if (!anyLineInfo) {
            return where + " was compiled without line numbers (javac -g); use a method breakpoint instead";
        }
        Integer below = lines.lower(line);
        Integer above = lines.higher(line);
        StringBuilder reason = new StringBuilder(nestedYetToLoad
                ? "line " + line + " of " + where + " has no code in the classes loaded so far; it is set if a nested class that loads later has"
                : "no code at line " + line + " of " + where);
        if (below != null || above != null) {
            reason.append("; nearest lines with code: ");
            if (below != null) {
                reason.append(below);
            }
            if (above != null) {
                reason.append(below != null ? ", " : "").append(above);
            }
        }
        return reason.toString();
    }
}
