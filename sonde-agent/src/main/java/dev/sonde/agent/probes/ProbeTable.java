package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;
import dev.sonde.agent.spy.SondeSpy;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The armed probes, by id, and the spy's sink. Setting or removing a probe retransforms its class, so the class
 * always carries exactly the probes in this table.
 */
public final class ProbeTable implements SondeSpy.Sink {

    private static final Pattern LINE_LOCATION = Pattern.compile("(.+):([0-9]+)");
    /**
     * Set while a thread does the agent's work for a hit: a probe in a JDK class that work uses (a queue, a string
     * builder) is not hit again from inside it, which would recurse without end.
     */
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

    private final Instrumentation instrumentation;
    private final Consumer<Json.Obj> output;
    private final Weaver weaver;
    private final Map<Integer, Probe> probes = new ConcurrentHashMap<>();
    private volatile Probe[] byId = new Probe[64];
    private int nextId = 1;
    private long lastBudgetCheck = System.currentTimeMillis();
    private final Budgets budgets = new Budgets();
    private final PendingProbes pending = new PendingProbes();

    public ProbeTable(Instrumentation instrumentation, Consumer<Json.Obj> output) {
        this.instrumentation = instrumentation;
        this.output = output;
        this.weaver = new Weaver(this::probesOn, pending::defined);
        instrumentation.addTransformer(weaver, true);
        SondeSpy.install(this);
        Thread arming = new Thread(this::armPendingLoop, "sonde-agent-pending");
        arming.setDaemon(true);
        arming.start();
    }

    /** The budgets every probe runs under; {@code settings} changes the agent-wide ones. */
    public Budgets budgets() {
        return budgets;
    }

    /**
     * What setting a probe did: the probes armed now (one per class loader that has defined the class), or, for a
     * class not loaded yet, the probe that waits for it.
     */
    public record Placement(List<Probe> armed, Json.Obj waiting) {
    }

    /**
     * {@code log LOCATION TEXT} with its budget. A class of that name in several class loaders gets the probe in
     * each (one id per class); a class not loaded yet, given by its full name, gets a probe that waits for it.
     */
    public synchronized Placement addLog(String location, String text, ProbeBudget budget) {
        Matcher matcher = LINE_LOCATION.matcher(location.strip());
        if (!matcher.matches()) {
            throw new ProbeRefused("'" + location + "' is not a line; write it as Class:LINE or File.java:LINE, e.g. Orders.java:42.");
        }
        String name = matcher.group(1).endsWith(".java") ? matcher.group(1).substring(0, matcher.group(1).length() - 5) : matcher.group(1);
        int line = Integer.parseInt(matcher.group(2));
        List<List<Class<?>>> loaded = loadedByLoader(name, true);
        if (loaded.isEmpty()) {
            return waitFor(name, "log", name + ":" + line, budget,
                    arming -> {
                        List<Class<?>> candidates = classesOf(arming.type(), true);
                        if (candidates.stream().noneMatch(c -> LineScan.find(bytesOf(c), line).isPresent())) {
                            return null;
                        }
                        return logOn(candidates, line, text, budget, arming.id());
                    });
        }
        return armEach(loaded, (candidates, id) -> logOn(candidates, line, text, budget, id));
    }

    /** {@code monitor pkg.Class.method} with its budget; like {@link #addLog(String, String, ProbeBudget)} for loaders and later classes. */
    public synchronized Placement addMonitor(String method, long everyMillis, ProbeBudget budget) {
        int dot = method.lastIndexOf('.');
        if (dot <= 0 || dot == method.length() - 1) {
            throw new ProbeRefused("'" + method + "' is not a method; write it as pkg.Class.method, e.g. dev.shop.Orders.place.");
        }
        if (everyMillis < 100) {
            throw new ProbeRefused("The interval must be at least 100ms.");
        }
        String className = method.substring(0, dot);
        String name = method.substring(dot + 1);
        List<List<Class<?>>> loaded = loadedByLoader(className, false);
        if (loaded.isEmpty()) {
            return waitFor(className, "monitor", method, budget,
                    arming -> arming.nested() ? null : monitorOn(arming.type(), name, everyMillis, budget, arming.id()));
        }
        return armEach(loaded, (candidates, id) -> monitorOn(candidates.get(0), name, everyMillis, budget, id));
    }

    private interface Maker {
        Probe make(List<Class<?>> candidates, int id);
    }

    private Placement armEach(List<List<Class<?>>> loaded, Maker maker) {
        List<Probe> armed = new ArrayList<>();
        try {
            for (List<Class<?>> candidates : loaded) {
                armed.add(maker.make(candidates, nextId++));
            }
        } catch (RuntimeException e) {
            armed.forEach(p -> remove(p.id()));
            throw e;
        }
        return new Placement(armed, null);
    }

    private Placement waitFor(String className, String kind, String location, ProbeBudget budget,
                              java.util.function.Function<PendingProbes.Arming, Probe> arm) {
        if (!className.contains(".")) {
            throw new ProbeRefused("No loaded class is named " + className + "; give its full name (pkg." + className
                    + ") to set the probe before the class is loaded.");
        }
        checkRoom();
        int id = nextId++;
        PendingProbes.Waiting waiting = new PendingProbes.Waiting(id, className, kind, location, budget, arm);
        budgets.track(id, budget);
        pending.add(waiting);
        return new Placement(List.of(), describe(waiting));
    }

    private LogProbe logOn(List<Class<?>> candidates, int line, String text, ProbeBudget budget, int id) {
        ClassNode first = null;
        for (Class<?> candidate : candidates) {
            ClassNode node = bytesOf(candidate);
            first = first == null ? node : first;
            Optional<LineScan.Found> found = LineScan.find(node, line);
            if (found.isPresent()) {
                LineScan.Found at = found.get();
                Template template = Template.compile(text, scope(candidate, at));
                LogProbe probe = new LogProbe(id, candidate, at.method(), at.descriptor(), line, text, template, budget.linesPerSecond(), output);
                arm(probe, budget);
                return probe;
            }
        }
        String range = LineScan.lineRange(first).map(r -> " (its code is on lines " + r[0] + "-" + r[1] + ")").orElse(" (it was compiled without line numbers)");
        throw new ProbeRefused(candidates.get(0).getName() + " has no code at line " + line + range + "; pick a line with a statement.");
    }

    private MonitorProbe monitorOn(Class<?> type, String name, long everyMillis, ProbeBudget budget, int id) {
        ClassNode node = bytesOf(type);
        List<String> names = new ArrayList<>();
        boolean found = false;
        for (MethodNode candidate : node.methods) {
            if ((candidate.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || candidate.name.startsWith("lambda$")
                    || candidate.name.equals("<clinit>")) {
                continue;
            }
            found |= candidate.name.equals(name);
            if (!names.contains(candidate.name)) {
                names.add(candidate.name);
            }
        }
        if (!found) {
            throw new ProbeRefused(type.getName() + " has no method '" + name + "' with code; it has " + String.join(", ", names) + ".");
        }
        MonitorProbe probe = new MonitorProbe(id, type, name, everyMillis, output);
        arm(probe, budget);
        return probe;
    }

    /** Every probe, armed and waiting, as {@code probes} lists them. */
    public List<Json.Obj> describeAll() {
        List<Json.Obj> all = new ArrayList<>(list().stream().map(this::describe).toList());
        pending.all().stream().filter(w -> !pending.everArmed(w.id())).map(this::describe).forEach(all::add);
        return all;
    }

    /** One armed probe as {@code probes} lists it: its own description, its state, class loader and budget. */
    public Json.Obj describe(Probe probe) {
        ProbeBudget budget = budgets.budget(probe.id());
        Json.Obj description = probe.describe().put("state", "armed").put("loader", loaderName(probe.target().getClassLoader()));
        return budget == null ? description : description.put("cpuPercent", budget.cpuPercent()).put("expiryMillis", budget.expiryMillis());
    }

    private Json.Obj describe(PendingProbes.Waiting waiting) {
        return new Json.Obj().put("id", waiting.id()).put("state", "pending").put("kind", waiting.kind())
                .put("location", waiting.location()).put("pending", "Waiting for " + waiting.className()
                        + " to be loaded; the probe is armed when a class loader defines it, in each loader that does.")
                .put("cpuPercent", waiting.budget().cpuPercent()).put("expiryMillis", waiting.budget().expiryMillis());
    }

    static String loaderName(ClassLoader loader) {
        if (loader == null) {
            return "boot";
        }
        return loader.getName() != null ? loader.getName() : loader.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(loader));
    }

    private void checkRoom() {
        int live = probes.size() + pending.notYetArmed();
        int max = budgets.settings().maxLive();
        if (live >= max) {
            throw new ProbeRefused("There are already " + live + " live probes, the limit (probes.maxLive in sonde.yaml); remove one"
                    + " (`probes` lists them) or raise the limit.");
        }
    }

    /** Arms waiting probes on the classes the transformer saw defined, one definition at a time. */
    private void armPendingLoop() {
        while (true) {
            PendingProbes.Definition definition;
            try {
                definition = pending.next(1000);
            } catch (InterruptedException e) {
                return;
            }
            if (definition == null) {
                continue;
            }
            try {
                armDefined(definition);
            } catch (RuntimeException | LinkageError e) {
                output.accept(new Json.Obj().put("event", "error").put("text", "Could not arm the probes waiting for "
                        + definition.className() + " (" + e + ")."));
            }
        }
    }

    private void armDefined(PendingProbes.Definition definition) {
        Class<?> type = awaitClass(definition);
        if (type == null) {
            output.accept(new Json.Obj().put("event", "error").put("text", definition.className() + " was being defined by "
                    + loaderName(definition.loader()) + " but never appeared; its waiting probes stay waiting."));
            return;
        }
        String className = definition.className();
        boolean nested = className.indexOf('$') > 0;
        String outer = nested ? className.substring(0, className.indexOf('$')) : className;
        synchronized (this) {
            for (PendingProbes.Waiting waiting : pending.waitingFor(outer)) {
                if (probes.values().stream().anyMatch(p -> p.target().getClassLoader() == type.getClassLoader()
                        && pending.armedFrom(waiting.id(), p.id()))) {
                    continue;
                }
                boolean idTaken = probes.containsKey(waiting.id()) || pending.everArmed(waiting.id());
                int id = idTaken ? nextId : waiting.id();
                try {
                    Probe probe = waiting.arm().apply(new PendingProbes.Arming(type, id, nested));
                    if (probe == null) {
                        if (!nested) {
                            stillWaiting(waiting, type);
                        }
                        continue;
                    }
                    if (idTaken) {
                        nextId++;
                    }
                    pending.armed(waiting.id(), probe.id());
                    output.accept(new Json.Obj().put("event", "armed").put("probe", probe.id()).put("from", waiting.id())
                            .put("loader", loaderName(type.getClassLoader())).put("text", "Probe " + probe.id()
                                    + (probe.id() == waiting.id() ? "" : " (from probe " + waiting.id() + ")") + " armed: " + type.getName()
                                    + " was loaded by class loader '" + loaderName(type.getClassLoader()) + "'."));
                } catch (ProbeRefused e) {
                    output.accept(new Json.Obj().put("event", "error").put("probe", waiting.id()).put("text", "Probe " + waiting.id()
                            + " could not be armed on " + type.getName() + " of class loader '" + loaderName(type.getClassLoader()) + "': "
                            + e.getMessage()));
                }
            }
        }
    }

    private void stillWaiting(PendingProbes.Waiting waiting, Class<?> type) {
        String range = LineScan.lineRange(bytesOf(type)).map(r -> " (its own code is on lines " + r[0] + "-" + r[1] + ")").orElse("");
        output.accept(new Json.Obj().put("event", "waiting").put("probe", waiting.id()).put("text", "Probe " + waiting.id() + ": "
                + type.getName() + " has no code at " + waiting.location() + range + "; the probe stays pending for a nested class"
                + " loaded later that has code there (`remove " + waiting.id() + "` if the line is wrong)."));
    }

    /** The class once its definition is done: the transformer runs before the class exists. */
    private Class<?> awaitClass(PendingProbes.Definition definition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Class<?> type : instrumentation.getInitiatedClasses(definition.loader())) {
                if (type.getName().equals(definition.className()) && type.getClassLoader() == definition.loader()) {
                    return type;
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private List<Probe> probesOn(Class<?> type) {
        return probes.values().stream().filter(p -> p.target() == type).sorted(Comparator.comparingInt(Probe::id)).toList();
    }

    /**
     * {@code log LOCATION TEXT}: LOCATION is {@code pkg.Class:LINE}, {@code Class:LINE} or {@code File.java:LINE}. Null when
     * the class is not loaded yet and the probe waits for it.
     */
    public synchronized LogProbe addLog(String location, String text, int linesPerSecond) {
        ProbeBudget defaults = budgets.settings().forProbe(Map.of());
        Placement placed = addLog(location, text, new ProbeBudget(linesPerSecond, defaults.cpuPercent(), false, defaults.expiryMillis()));
        return placed.armed().isEmpty() ? null : (LogProbe) placed.armed().get(0);
    }

    /** {@code monitor pkg.Class.method}: every method of that name in the class; null when the probe waits for its class. */
    public synchronized MonitorProbe addMonitor(String method, long everyMillis) {
        Placement placed = addMonitor(method, everyMillis, budgets.settings().forProbe(Map.of()));
        return placed.armed().isEmpty() ? null : (MonitorProbe) placed.armed().get(0);
    }

    public synchronized boolean remove(int id) {
        boolean waited = pending.remove(id);
        Probe probe = probes.remove(id);
        if (probe == null) {
            if (waited) {
                budgets.forget(id);
            }
            return waited;
        }
        setById(id, null);
        budgets.forget(id);
        retransform(probe.target());
        return true;
    }

    /** Removes every probe and gives each class back its original bytes; returns how many were removed. */
    public synchronized int removeAll() {
        List<Integer> ids = new ArrayList<>(probes.keySet());
        pending.all().forEach(w -> {
            if (!ids.contains(w.id())) {
                ids.add(w.id());
            }
        });
        ids.forEach(this::remove);
        return ids.size();
    }

    public List<Probe> list() {
        return probes.values().stream().sorted(Comparator.comparingInt(Probe::id)).toList();
    }

    /** Called about ten times a second: monitor reports that are due, counts of dropped log lines, and once a second the budgets. */
    public void tick() {
        long now = System.currentTimeMillis();
        if (now - lastBudgetCheck >= 1000) {
            lastBudgetCheck = now;
            for (Budgets.Verdict verdict : budgets.check(now)) {
                synchronized (this) {
                    if (remove(verdict.probe())) {
                        output.accept(new Json.Obj().put("event", verdict.event()).put("probe", verdict.probe()).put("reason", verdict.reason())
                                .put("text", verdict.text()));
                    }
                }
            }
        }
        for (Probe probe : list()) {
            if (probe instanceof MonitorProbe monitor) {
                monitor.tick(now);
            } else if (probe instanceof LogProbe log) {
                log.reportDropped(now);
            }
        }
    }

    private void arm(Probe probe) {
        arm(probe, budgets.settings().forProbe(Map.of()));
    }

    private void arm(Probe probe, ProbeBudget budget) {
        if (pending.get(probe.id()) == null) {
            checkRoom();
        }
        Throwable failure;
        try {
            letReadSpy(probe.target());
        } catch (RuntimeException e) {
            throw new ProbeRefused("The agent cannot let module " + probe.target().getModule().getName() + " call it (" + e.getMessage()
                    + "); probe the application code that calls " + probe.target().getName() + ".");
        }
        budgets.track(probe.id(), budget);
        probes.put(probe.id(), probe);
        setById(probe.id(), probe);
        try {
            instrumentation.retransformClasses(probe.target());
            failure = weaver.takeFailure(probe.target());
        } catch (Throwable e) {
            failure = e;
        }
        if (failure != null) {
            probes.remove(probe.id());
            setById(probe.id(), null);
            budgets.forget(probe.id());
            retransform(probe.target());
            throw new ProbeRefused("The agent could not rewrite " + probe.target().getName() + " (" + failure
                    + "); the class was left as it was.");
        }
    }

    /** A class in a named module (the JDK's) reads only what its module reads: let it read the spy's (unnamed) module. */
    private void letReadSpy(Class<?> type) {
        Module module = type.getModule();
        Module spy = SondeSpy.class.getModule();
        if (module.isNamed() && !module.canRead(spy)) {
            instrumentation.redefineModule(module, Set.of(spy), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    private void retransform(Class<?> type) {
        try {
            instrumentation.retransformClasses(type);
        } catch (Throwable e) {
            output.accept(new Json.Obj().put("event", "error").put("text", "Could not restore " + type.getName() + ": " + e + "."));
        }
    }

    private void setById(int id, Probe probe) {
        Probe[] table = byId;
        if (id >= table.length) {
            table = Arrays.copyOf(table, Math.max(id + 1, table.length * 2));
        } else {
            table = table.clone();
        }
        table[id] = probe;
        byId = table;
    }

    /** The class named {@code name} (and its nested classes) for a probe that needs it loaded now: the first loader's. */
    private List<Class<?>> classesNamed(String name, boolean withNested) {
        List<List<Class<?>>> loaded = loadedByLoader(name, withNested);
        if (loaded.isEmpty()) {
            throw new ProbeRefused("No loaded class is named " + name + "; give the full name of a class this JVM has loaded.");
        }
        return loaded.get(0);
    }

    /**
     * The loaded classes named {@code name}, one list per class loader that defined one: the class, then its nested
     * classes. Empty when no loader has it; a short name that fits several different classes is refused.
     */
    private List<List<Class<?>>> loadedByLoader(String name, boolean withNested) {
        List<Class<?>> exact = new ArrayList<>();
        boolean qualified = name.contains(".");
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            String n = type.getName();
            if (!type.isArray() && !n.startsWith("dev.sonde.agent.") && !type.isHidden() && (qualified ? n.equals(name) : n.equals(name) || n.endsWith("." + name))) {
                exact.add(type);
            }
        }
        List<String> names = exact.stream().map(Class::getName).distinct().toList();
        if (names.size() > 1) {
            throw new ProbeRefused(name + " names " + names.size() + " loaded classes (" + String.join(", ", names) + "); give the full name.");
        }
        List<List<Class<?>>> groups = new ArrayList<>();
        exact.sort(Comparator.comparing(t -> loaderName(t.getClassLoader())));
        for (Class<?> type : exact) {
            groups.add(classesOf(type, withNested));
        }
        return groups;
    }

    /** {@code type} and, with {@code withNested}, the nested classes its loader has defined. */
    private List<Class<?>> classesOf(Class<?> type, boolean withNested) {
        refuseWhatTheAgentRunsOn(type);
        if (!instrumentation.isModifiableClass(type)) {
            throw new ProbeRefused(type.getName() + " cannot be rewritten (the JVM marks it unmodifiable); probe the code that calls it.");
        }
        List<Class<?>> all = new ArrayList<>(List.of(type));
        if (withNested) {
            String prefix = type.getName() + "$";
            List<Class<?>> nested = new ArrayList<>();
            for (Class<?> candidate : instrumentation.getInitiatedClasses(type.getClassLoader())) {
                if (candidate.getName().startsWith(prefix) && candidate.getClassLoader() == type.getClassLoader() && !candidate.isHidden()
                        && instrumentation.isModifiableClass(candidate)) {
                    nested.add(candidate);
                }
            }
            nested.sort(Comparator.comparing(Class::getName));
            all.addAll(nested);
        }
        return all;
    }

    /** The classes of java.lang and the JDK's internals run every hit's own work (the spy, the guard): probing them would recurse. */
    private static void refuseWhatTheAgentRunsOn(Class<?> type) {
        String name = type.getName();
        if (type.getPackageName().equals("java.lang") || name.startsWith("jdk.internal.") || name.startsWith("sun.")) {
            throw new ProbeRefused(name + " is one of the classes the agent itself runs on (java.lang, jdk.internal, sun); probe the code"
                    + " that calls it.");
        }
    }

    private static ClassNode bytesOf(Class<?> type) {
        try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            if (in == null) {
                throw new ProbeRefused("The bytes of " + type.getName() + " cannot be found (a generated class?); probe a class loaded from a jar or directory.");
            }
            return LineScan.read(in.readAllBytes());
        } catch (IOException e) {
            throw new ProbeRefused("The bytes of " + type.getName() + " cannot be read (" + e.getMessage() + ").");
        }
    }

    private static Template.Scope scope(Class<?> type, LineScan.Found at) {
        return new Template.Scope() {
            @Override
            public Class<?> type() {
                return type;
            }

            @Override
            public boolean isStatic() {
                return at.isStatic();
            }

            @Override
            public Optional<Template.Local> local(String name) {
                return at.local(name);
            }

            @Override
            public ClassLoader loader() {
                return type.getClassLoader();
            }
        };
    }

    private Probe probe(int id) {
        Probe[] table = byId;
        return id < table.length ? table[id] : null;
    }

    @Override
    public boolean admit(int id) {
        return probe(id) instanceof LogProbe log && log.admit();
    }

    /** This thread's guard, now set, or null when the thread is already doing a hit's work. Clear it when done. */
    private static boolean[] enterHitWork() {
        boolean[] inside = INSIDE.get();
        if (inside[0]) {
            return null;
        }
        inside[0] = true;
        return inside;
    }

    @Override
    public void log(int id, Object[] values) {
        boolean[] inside;
        if (probe(id) instanceof LogProbe log && (inside = enterHitWork()) != null) {
            long sample = budgets.startSample(id);
            try {
                log.hit(values);
            } finally {
                budgets.endSample(id, sample);
                inside[0] = false;
            }
        }
    }

    @Override
    public void exit(int id, long startNanos, boolean threw) {
        boolean[] inside;
        if (probe(id) instanceof MonitorProbe monitor && (inside = enterHitWork()) != null) {
            long sample = budgets.startSample(id);
            try {
                monitor.exit(startNanos, threw);
            } finally {
                budgets.endSample(id, sample);
                inside[0] = false;
            }
        }
    }
}
