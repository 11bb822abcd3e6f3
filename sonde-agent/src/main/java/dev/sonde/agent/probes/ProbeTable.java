package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;
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

    private final Instrumentation instrumentation;
    private final Consumer<Json.Obj> output;
    private final Weaver weaver;
    private final Map<Integer, Probe> probes = new ConcurrentHashMap<>();
    private volatile Probe[] byId = new Probe[64];
    private int nextId = 1;

    public ProbeTable(Instrumentation instrumentation, Consumer<Json.Obj> output) {
        this.instrumentation = instrumentation;
        this.output = output;
        this.weaver = new Weaver(this::probesOn);
        instrumentation.addTransformer(weaver, true);
        SondeSpy.install(this);
    }

    private List<Probe> probesOn(Class<?> type) {
        return probes.values().stream().filter(p -> p.target() == type).sorted(Comparator.comparingInt(Probe::id)).toList();
    }

    /** {@code log LOCATION TEXT}: LOCATION is {@code pkg.Class:LINE}, {@code Class:LINE} or {@code File.java:LINE}. */
    public synchronized LogProbe addLog(String location, String text, int linesPerSecond) {
        return addLog(location, text, null, false, linesPerSecond);
    }

    /**
     * {@code log LOCATION TEXT [if CONDITION]}; the condition (null: none) and the text's holes are Java expressions
     * that may call methods with side effects only when {@code allowInvoke}.
     */
    public synchronized LogProbe addLog(String location, String text, String condition, boolean allowInvoke, int linesPerSecond) {
        Matcher matcher = LINE_LOCATION.matcher(location.strip());
        if (!matcher.matches()) {
            throw new ProbeRefused("'" + location + "' is not a line; write it as Class:LINE or File.java:LINE, e.g. Orders.java:42.");
        }
        if (linesPerSecond < 1) {
            throw new ProbeRefused("The limit must be at least 1 line a second.");
        }
        String name = matcher.group(1).endsWith(".java") ? matcher.group(1).substring(0, matcher.group(1).length() - 5) : matcher.group(1);
        int line = Integer.parseInt(matcher.group(2));
        List<Class<?>> candidates = classesNamed(name, true);
        ClassNode first = null;
        for (Class<?> candidate : candidates) {
            ClassNode node = bytesOf(candidate);
            first = first == null ? node : first;
            Optional<LineScan.Found> found = LineScan.find(node, line);
            if (found.isPresent()) {
                LineScan.Found at = found.get();
                Template.Scope scope = scope(candidate, at);
                Template template = Template.compile(text, scope, allowInvoke);
                Guard guard = condition == null || condition.isBlank() ? Guard.ALWAYS : Conditions.compile(condition, scope, allowInvoke);
                LogProbe probe = new LogProbe(nextId++, candidate, at.method(), at.descriptor(), line, text, template, guard,
                        linesPerSecond, output);
                arm(probe);
                return probe;
            }
        }
        String range = LineScan.lineRange(first).map(r -> " (its code is on lines " + r[0] + "-" + r[1] + ")").orElse(" (it was compiled without line numbers)");
        throw new ProbeRefused(candidates.get(0).getName() + " has no code at line " + line + range + "; pick a line with a statement.");
    }

    /** {@code monitor pkg.Class.method}: every method of that name in the class. */
    public synchronized MonitorProbe addMonitor(String method, long everyMillis) {
        int dot = method.lastIndexOf('.');
        if (dot <= 0 || dot == method.length() - 1) {
            throw new ProbeRefused("'" + method + "' is not a method; write it as pkg.Class.method, e.g. dev.shop.Orders.place.");
        }
        if (everyMillis < 100) {
            throw new ProbeRefused("The interval must be at least 100ms.");
        }
        String name = method.substring(dot + 1);
        Class<?> type = classesNamed(method.substring(0, dot), false).get(0);
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
        MonitorProbe probe = new MonitorProbe(nextId++, type, name, everyMillis, output);
        arm(probe);
        return probe;
    }

    public synchronized boolean remove(int id) {
        Probe probe = probes.remove(id);
        if (probe == null) {
            return false;
        }
        setById(id, null);
        retransform(probe.target());
        return true;
    }

    /** Removes every probe and gives each class back its original bytes; returns how many were removed. */
    public synchronized int removeAll() {
        List<Integer> ids = new ArrayList<>(probes.keySet());
        ids.forEach(this::remove);
        return ids.size();
    }

    public List<Probe> list() {
        return probes.values().stream().sorted(Comparator.comparingInt(Probe::id)).toList();
    }

    /** Called about once a second: monitor reports that are due, and counts of dropped log lines. */
    public void tick() {
        long now = System.currentTimeMillis();
        for (Probe probe : list()) {
            if (probe instanceof MonitorProbe monitor) {
                monitor.tick(now);
            } else if (probe instanceof LogProbe log) {
                log.reportDropped(now);
            }
        }
    }

    private void arm(Probe probe) {
        probes.put(probe.id(), probe);
        setById(probe.id(), probe);
        Throwable failure;
        try {
            instrumentation.retransformClasses(probe.target());
            failure = weaver.takeFailure(probe.target());
        } catch (Throwable e) {
            failure = e;
        }
        if (failure != null) {
            probes.remove(probe.id());
            setById(probe.id(), null);
            retransform(probe.target());
            throw new ProbeRefused("The agent could not rewrite " + probe.target().getName() + " (" + failure
                    + "); the class was left as it was.");
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

    private List<Class<?>> classesNamed(String name, boolean withNested) {
        List<Class<?>> exact = new ArrayList<>();
        List<Class<?>> nested = new ArrayList<>();
        boolean qualified = name.contains(".");
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            String n = type.getName();
            if (type.isArray() || n.startsWith("dev.sonde.agent.") || type.isHidden()) {
                continue;
            }
            boolean same = qualified ? n.equals(name) : n.equals(name) || n.endsWith("." + name);
            if (same) {
                exact.add(type);
            } else if (withNested && n.contains("$")) {
                String outer = n.substring(0, n.indexOf('$'));
                if (qualified ? outer.equals(name) : outer.equals(name) || outer.endsWith("." + name)) {
                    nested.add(type);
                }
            }
        }
        if (exact.isEmpty()) {
            throw new ProbeRefused("No loaded class is named " + name + "; give the full name of a class this JVM has loaded"
                    + " (the agent does not yet wait for classes loaded later).");
        }
        if (exact.size() > 1) {
            throw new ProbeRefused(name + " names " + exact.size() + " loaded classes (" + String.join(", ", exact.stream().map(Class::getName)
                    .map(n -> n + "").distinct().toList()) + "); give the full name.");
        }
        Class<?> type = exact.get(0);
        if (type.getModule().isNamed()) {
            throw new ProbeRefused(type.getName() + " is in module " + type.getModule().getName()
                    + "; the agent probes classes on the class path so far, so probe the application code that calls it.");
        }
        if (!instrumentation.isModifiableClass(type)) {
            throw new ProbeRefused(type.getName() + " cannot be rewritten (the JVM marks it unmodifiable); probe the code that calls it.");
        }
        nested.sort(Comparator.comparing(Class::getName));
        List<Class<?>> all = new ArrayList<>(exact);
        all.addAll(nested.stream().filter(instrumentation::isModifiableClass).toList());
        return all;
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
    public boolean admit(int id) {
        return probe(id) instanceof LogProbe log && log.admit();
    }

    @Override
    public void log(int id, Object[] values) {
        if (probe(id) instanceof LogProbe log) {
            log.hit(values);
        }
    }

    @Override
    public void exit(int id, long startNanos, boolean threw) {
        if (probe(id) instanceof MonitorProbe monitor) {
            monitor.exit(startNanos, threw);
        }
    }
}
