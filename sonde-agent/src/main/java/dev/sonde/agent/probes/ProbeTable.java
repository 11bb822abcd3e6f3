package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;
import dev.sonde.agent.expr.Conditions;
import dev.sonde.agent.expr.Conditions;
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
    private Object callerLocals;
    private final Set<Integer> reportedFailures = ConcurrentHashMap.newKeySet();

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
     * {@code log LOCATION TEXT [if CONDITION]} with its budget. The condition (null: none) and the text's holes are Java
     * expressions that may call methods with side effects only when {@code allowInvoke}. A class of that name in
     * several class loaders gets the probe in each (one id per class); a class not loaded yet, given by its full name,
     * gets a probe that waits for it.
     */
    public synchronized Placement addLog(String location, String text, String condition, boolean allowInvoke, ProbeBudget budget) {
        return atLine(location, "log", budget, (candidate, at, line, id) -> {
            Template.Scope scope = scope(candidate, at);
            Template template = Template.compile(text, scope, allowInvoke);
            return new LogProbe(id, candidate, at.method(), at.descriptor(), line, text, template,
                    guard(condition, scope, allowInvoke), new RateBudget(budget.linesPerSecond()), output);
        });
    }

    /**
     * {@code snap LOCATION}: at the line, the thread, its stack, the locals of its top {@code frames} frames and the
     * {@code watches}, on the hits where {@code condition} (null: none) holds; at most {@code max} snapshots (0: until
     * removed) and the budget's lines a second. Loaders and later classes as for {@link #addLog}.
     */
    public synchronized Placement addSnap(String location, int max, int frames, List<String> watches, String condition, boolean allowInvoke,
                                         ProbeBudget budget) {
        if (max < 0 || frames < 1) {
            throw new ProbeRefused("max must be 0 (no limit) or more, and frames at least 1.");
        }
        int snapshotBytes = budgets.settings().snapshotBytes();
        return atLine(location, "snap", budget, (candidate, at, line, id) -> {
            Guard guard = guard(condition, scope(candidate, at), allowInvoke);
            List<SnapProbe.Captured> captured = ProbeKinds.capturedAt(at);
            List<SnapProbe.Watch> resolved = watches.stream().map(w -> ProbeKinds.watch(w, captured, candidate, at.isStatic())).toList();
            if (frames > 1 && callerLocals == null) {
                callerLocals = CallerLocals.open(instrumentation);
            }
            SnapshotValues.Limits limits = new SnapshotValues.Limits(snapshotBytes, SnapshotValues.Limits.DEFAULT.stringChars(),
                    SnapshotValues.Limits.DEFAULT.elements(), SnapshotValues.Limits.DEFAULT.depth());
            return new SnapProbe(id, candidate, at.method(), at.descriptor(), line, captured, resolved, guard, max, frames,
                    new RateBudget(budget.linesPerSecond()), limits, frames > 1 ? callerLocals : null, output);
        });
    }

    /**
     * {@code watch pkg.Class.method[(types)]}: each call's arguments, return value or exception, and duration, for the
     * calls where {@code condition} (null: none; it sees the parameters, {@code returnValue} and {@code exception}) holds.
     */
    public synchronized Placement addWatch(String method, Set<String> show, String condition, boolean allowInvoke, ProbeBudget budget) {
        ProbeKinds.Target target = ProbeKinds.target(method);
        return onMethod(target.className(), method, "watch", budget, (type, id) -> {
            List<MethodNode> matched = ProbeKinds.methods(type, bytesOf(type), target, false);
            return new WatchProbe(id, type, target.name(), matched.stream().map(m -> ProbeKinds.site(type, m, condition, allowInvoke)).toList(),
                    show, new RateBudget(budget.linesPerSecond()), output);
        });
    }

    /** {@code trace pkg.Class.method [depth N]}: the call tree below the method, {@code depth} levels, per interval. */
    public synchronized Placement addTrace(String method, int depth, long everyMillis, ProbeBudget budget) {
        if (depth < 1 || depth > 8) {
            throw new ProbeRefused("The depth must be between 1 and 8 levels.");
        }
        checkInterval(everyMillis);
        ProbeKinds.Target target = ProbeKinds.target(method);
        return onMethod(target.className(), method, "trace", budget, (type, id) -> {
            List<MethodNode> roots = ProbeKinds.methods(type, bytesOf(type), target, false);
            List<TraceProbe.Traced> traced = ProbeKinds.callTree(type, roots, depth, instrumentation, ProbeTable::bytesOf);
            return new TraceProbe(id, type, target.name(), depth, everyMillis, traced, output);
        });
    }

    /** {@code monitor pkg.Class.method}: calls, errors and latencies of every method of that name, per interval. */
    public synchronized Placement addMonitor(String method, long everyMillis, ProbeBudget budget) {
        int dot = method.lastIndexOf('.');
        if (dot <= 0 || dot == method.length() - 1) {
            throw new ProbeRefused("'" + method + "' is not a method; write it as pkg.Class.method, e.g. dev.shop.Orders.place.");
        }
        checkInterval(everyMillis);
        String name = method.substring(dot + 1);
        return onMethod(method.substring(0, dot), method, "monitor", budget, (type, id) -> monitorOn(type, name, everyMillis, id));
    }

    /**
     * A debugger's conditional stop at {@code location} ({@code pkg.Class:LINE}): the hits where {@code condition} (null:
     * none) holds are counted here, and those {@code hits} picks call the marker the debugger's breakpoint is in. Set like
     * a logpoint (in each class loader that has the class); its budget's rate does not apply, a stop is never dropped.
     */
    public synchronized Placement addStop(String location, String condition, boolean allowInvoke, StopProbe.HitCount hits, ProbeBudget budget) {
        return atLine(location, "stop", budget, (candidate, at, line, id) -> new StopProbe(id, candidate, at.method(), at.descriptor(), line,
                condition, guard(condition, scope(candidate, at), allowInvoke), hits));
    }

    private static void checkInterval(long everyMillis) {
        if (everyMillis < 100) {
            throw new ProbeRefused("The interval must be at least 100ms.");
        }
    }

    private static Guard guard(String condition, Template.Scope scope, boolean allowInvoke) {
        return condition == null || condition.isBlank() ? Guard.ALWAYS : Conditions.compile(condition, scope, allowInvoke);
    }

    /** Makes a line probe of one kind at the place {@link LineScan} found; {@code id} is the one the probe gets. */
    private interface LineMaker {
        Probe make(Class<?> type, LineScan.Found at, int line, int id);
    }

    /** Makes a method probe of one kind on the class. */
    private interface MethodMaker {
        Probe make(Class<?> type, int id);
    }

    /**
     * The one way a line probe is set: the location parsed, then armed in each class loader that has the class (its
     * nested classes searched for the line), or, when none has it yet, a probe waiting for it.
     */
    private Placement atLine(String location, String kind, ProbeBudget budget, LineMaker maker) {
        Matcher matcher = LINE_LOCATION.matcher(location.strip());
        if (!matcher.matches()) {
            throw new ProbeRefused("'" + location + "' is not a line; write it as Class:LINE or File.java:LINE, e.g. Orders.java:42.");
        }
        String name = matcher.group(1).endsWith(".java") ? matcher.group(1).substring(0, matcher.group(1).length() - 5) : matcher.group(1);
        int line = Integer.parseInt(matcher.group(2));
        List<List<Class<?>>> loaded = loadedByLoader(name, true);
        if (loaded.isEmpty()) {
            return waitFor(name, kind, name + ":" + line, budget, arming -> {
                List<Class<?>> candidates = classesOf(arming.type(), true);
                if (candidates.stream().noneMatch(c -> LineScan.find(bytesOf(c), line).isPresent())) {
                    return null;
                }
                return armAtLine(candidates, line, budget, maker, arming.id());
            });
        }
        return armEach(loaded, (candidates, id) -> armAtLine(candidates, line, budget, maker, id));
    }

    /** The one way a method probe is set: in each class loader that has the class, or waiting for it. */
    private Placement onMethod(String className, String method, String kind, ProbeBudget budget, MethodMaker maker) {
        List<List<Class<?>>> loaded = loadedByLoader(className, false);
        if (loaded.isEmpty()) {
            return waitFor(className, kind, method, budget, arming -> {
                if (arming.nested()) {
                    return null;
                }
                Probe probe = maker.make(arming.type(), arming.id());
                arm(probe, budget);
                return probe;
            });
        }
        return armEach(loaded, (candidates, id) -> {
            Probe probe = maker.make(candidates.get(0), id);
            arm(probe, budget);
            return probe;
        });
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

    /** The first of {@code candidates} (a class, then its nested classes) with code at {@code line}, probed there. */
    private Probe armAtLine(List<Class<?>> candidates, int line, ProbeBudget budget, LineMaker maker, int id) {
        ClassNode first = null;
        for (Class<?> candidate : candidates) {
            ClassNode node = bytesOf(candidate);
            first = first == null ? node : first;
            Optional<LineScan.Found> found = LineScan.find(node, line);
            if (found.isPresent()) {
                dev.sonde.agent.expr.Placement.requireStatementStart(node.name, found.get().node(), found.get().instruction(), line);
                Probe probe = maker.make(candidate, found.get(), line, id);
                arm(probe, budget);
                return probe;
            }
        }
        String range = LineScan.lineRange(first).map(r -> " (its code is on lines " + r[0] + "-" + r[1] + ")").orElse(" (it was compiled without line numbers)");
        throw new ProbeRefused(candidates.get(0).getName() + " has no code at line " + line + range + "; pick a line with a statement.");
    }

    private MonitorProbe monitorOn(Class<?> type, String name, long everyMillis, int id) {
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
        return new MonitorProbe(id, type, name, everyMillis, output);
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
                + " loaded later that has code there (`delete " + waiting.id() + "` if the line is wrong)."));
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
        return probes.values().stream().filter(p -> p.targets().contains(type)).sorted(Comparator.comparingInt(Probe::id)).toList();
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
        probe.targets().forEach(this::retransform);
        probe.release();
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
            } else if (probe instanceof SnapProbe snap) {
                snap.reportDropped(now);
                if (snap.finished()) {
                    synchronized (this) {
                        if (remove(snap.id())) {
                            output.accept(new Json.Obj().put("event", "removed").put("probe", snap.id())
                                    .put("text", "Probe " + snap.id() + " took its " + snap.max()
                                            + " snapshots and was removed; its class has its original bytecode again."));
                        }
                    }
                }
            } else if (probe instanceof WatchProbe watch) {
                watch.reportDropped(now);
            } else if (probe instanceof TraceProbe trace) {
                trace.tick(now);
            } else if (probe instanceof SnapProbe snap) {
                snap.reportDropped(now);
                if (snap.finished()) {
                    remove(snap.id());
                    output.accept(new Json.Obj().put("event", "removed").put("probe", snap.id())
                            .put("text", "Probe " + snap.id() + " took its " + snap.max()
                                    + " snapshots and was removed; its class has its original bytecode again."));
                }
            } else if (probe instanceof WatchProbe watch) {
                watch.reportDropped(now);
            } else if (probe instanceof TraceProbe trace) {
                trace.tick(now);
            }
        }
    }

    /** The one way a probe is armed: room among the live probes, its budget tracked, and all its classes rewritten together. */
    private void arm(Probe probe, ProbeBudget budget) {
        if (pending.get(probe.id()) == null) {
            checkRoom();
        }
        for (Class<?> type : probe.targets()) {
            try {
                letReadSpy(type);
            } catch (RuntimeException e) {
                throw new ProbeRefused("The agent cannot let module " + type.getModule().getName() + " call it (" + e.getMessage()
                        + "); probe the application code that calls " + type.getName() + ".");
            }
        }
        budgets.track(probe.id(), budget);
        probes.put(probe.id(), probe);
        setById(probe.id(), probe);
        Throwable failure = null;
        Class<?> failed = probe.target();
        try {
            // all at once, so a trace over several classes starts in all of them together
            instrumentation.retransformClasses(probe.targets().toArray(new Class<?>[0]));
        } catch (Throwable e) {
            failure = e;
        }
        for (Class<?> type : probe.targets()) {
            Throwable own = weaver.takeFailure(type);
            if (own != null && failure == null) {
                failure = own;
                failed = type;
            }
        }
        if (failure != null) {
            probes.remove(probe.id());
            setById(probe.id(), null);
            budgets.forget(probe.id());
            probe.targets().forEach(this::retransform);
            probe.release();
            throw new ProbeRefused("The agent could not rewrite " + failed.getName() + " (" + failure
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

            @Override
            public List<String> localNames() {
                return at.localNames();
            }
        };
    }

    private Probe probe(int id) {
        Probe[] table = byId;
        return id < table.length ? table[id] : null;
    }

    @Override
    public boolean count(int id) {
        if (probe(id) instanceof StopProbe stop) {
            long sample = budgets.startSample(id);
            try {
                return stop.count();
            } finally {
                budgets.endSample(id, sample);
            }
        }
        return false;
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

    @Override
    public boolean admitSnap(int id) {
        return probe(id) instanceof SnapProbe snap && snap.admit();
    }

    @Override
    public void snap(int id, Object[] locals) {
        boolean[] inside;
        if (probe(id) instanceof SnapProbe snap && (inside = enterHitWork()) != null) {
            long sample = budgets.startSample(id);
            try {
                // the callers' locals and the stack are taken here, one frame nearer the instrumented one than in hit():
                // the JVM fills the locals and operands of every frame of the walk (a fifth of a snapshot's cost less)
                CallerLocals.Reading reading = snap.callerReading();
                snap.hit(locals, reading == null ? List.of() : reading.walker().walk(reading), new Throwable());
            } catch (RuntimeException | LinkageError e) {
                failed(id, e);
            } finally {
                budgets.endSample(id, sample);
                inside[0] = false;
            }
        }
    }

    @Override
    public void watch(int id, int site, Object[] args, Object result, Throwable thrown, long startNanos) {
        boolean[] inside;
        if (probe(id) instanceof WatchProbe watch && (inside = enterHitWork()) != null) {
            long sample = budgets.startSample(id);
            try {
                watch.call(site, args, result, thrown, startNanos);
            } catch (RuntimeException | LinkageError e) {
                failed(id, e);
            } finally {
                budgets.endSample(id, sample);
                inside[0] = false;
            }
        }
    }

    // a trace's four callbacks are each sampled as a hit: their mean times their count is still the trace's CPU
    @Override
    public long traceEnter(int id) {
        boolean[] inside;
        if (probe(id) instanceof TraceProbe trace && (inside = enterHitWork()) != null) {
            long sample = budgets.startSample(id);
            try {
                return trace.enter();
            } finally {
                budgets.endSample(id, sample);
                inside[0] = false;
            }
        }
        return TraceProbe.NOT_TRACED;
    }

    @Override
    public void traceExit(int id, long token) {
        boolean[] inside;
        if (probe(id) instanceof TraceProbe trace && (inside = enterHitWork()) != null) {
            long sample = budgets.startSample(id);
            try {
                trace.exit(token);
            } finally {
                budgets.endSample(id, sample);
                inside[0] = false;
            }
        }
    }

    @Override
    public long traceCall(int id, int site) {
        boolean[] inside;
        if (probe(id) instanceof TraceProbe trace && (inside = enterHitWork()) != null) {
            long sample = budgets.startSample(id);
            try {
                return trace.call(site);
            } finally {
                budgets.endSample(id, sample);
                inside[0] = false;
            }
        }
        return TraceProbe.NOT_TRACED;
    }

    @Override
    public void traceCallEnd(int id, int site, long token) {
        boolean[] inside;
        if (probe(id) instanceof TraceProbe trace && (inside = enterHitWork()) != null) {
            long sample = budgets.startSample(id);
            try {
                trace.callEnd(token);
            } finally {
                budgets.endSample(id, sample);
                inside[0] = false;
            }
        }
    }

    /** A probe's own failure on a hit: said once, never thrown into the application. */
    private void failed(int id, Throwable e) {
        if (reportedFailures.add(id)) {
            output.accept(new Json.Obj().put("event", "error").put("probe", id).put("text", "Probe " + id + " failed on a hit (" + e
                    + "); the application went on, and further failures of this probe are not reported."));
        }
    }
}
