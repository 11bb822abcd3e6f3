package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The call tree below a method, several levels deep in one pass: the method and the application methods it calls,
 * down to {@code depth} levels, are rewritten at once so that every call they make (to the application or to the
 * JDK, whose internals are not entered) is timed at its call site. Calls are aggregated per call path over each
 * interval of {@code everyMillis}, and the tree of an interval with calls is reported at its end.
 */
public final class TraceProbe implements Probe {

    /** A method whose calls are timed: its class, name, descriptor and level (0: the traced method itself). */
    record Traced(Class<?> owner, String name, String descriptor, int level) {
    }

    /** One call path's statistics; children by call site. */
    static final class Node {
        final String label;
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final Map<Integer, Node> children = new ConcurrentHashMap<>();

        Node(String label) {
            this.label = label;
        }

        void add(long took) {
            count.increment();
            nanos.add(took);
        }

        Json.Obj json() {
            long n = count.sum();
            long total = nanos.sum();
            List<Node> sorted = new ArrayList<>(children.values());
            sorted.sort(Comparator.comparingLong((Node c) -> c.nanos.sum()).reversed());
            return new Json.Obj().put("call", label).put("count", n).put("totalMillis", millis(total))
                    .put("meanMillis", n == 0 ? 0.0 : millis(total / (double) n)).put("children", sorted.stream().map(Node::json).toList());
        }
    }

    static final long NOT_TRACED = Long.MIN_VALUE;
    private static final int MAX_PATH = 64;

    private final int id;
    private final Class<?> target;
    private final String method;
    private final int depth;
    private final long everyMillis;
    private final List<Traced> traced;
    private final List<Class<?>> targets;
    private final Consumer<Json.Obj> output;
    private final List<String> sites = new ArrayList<>();
    private final Map<String, Integer> siteIds = new ConcurrentHashMap<>();
    private final ThreadLocal<ArrayDeque<Node>> paths = ThreadLocal.withInitial(ArrayDeque::new);
    private volatile Node root;
    private long intervalStart = System.currentTimeMillis();
    private long allCalls;

    TraceProbe(int id, Class<?> target, String method, int depth, long everyMillis, List<Traced> traced, Consumer<Json.Obj> output) {
        this.id = id;
        this.target = target;
        this.method = method;
        this.depth = depth;
        this.everyMillis = everyMillis;
        this.traced = traced;
        this.targets = traced.stream().<Class<?>>map(Traced::owner).distinct().toList();
        this.output = output;
        this.root = new Node(target.getName() + "." + method);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public Class<?> target() {
        return target;
    }

    @Override
    public List<Class<?>> targets() {
        return targets;
    }

    /** The traced methods of the class with this internal name, by name + descriptor, with whether each is the root. */
    Map<String, Boolean> methodsOf(String internalName) {
        Map<String, Boolean> methods = new ConcurrentHashMap<>();
        for (Traced t : traced) {
            if (t.owner().getName().replace('.', '/').equals(internalName)) {
                methods.merge(t.name() + t.descriptor(), t.level() == 0, Boolean::logicalOr);
            }
        }
        return methods;
    }

    /** The id of a call site, stable across rewrites of its class (other probes retransform it too). */
    synchronized int site(String key, String label) {
        Integer known = siteIds.get(key);
        if (known != null) {
            return known;
        }
        sites.add(label);
        siteIds.put(key, sites.size() - 1);
        return sites.size() - 1;
    }

    private synchronized String label(int site) {
        return sites.get(site);
    }

    long enter() {
        ArrayDeque<Node> path = paths.get();
        if (!path.isEmpty()) {
            return NOT_TRACED;
        }
        path.push(root);
        return System.nanoTime();
    }

    void exit(long token) {
        if (token == NOT_TRACED) {
            return;
        }
        long took = System.nanoTime() - token;
        ArrayDeque<Node> path = paths.get();
        Node top = path.pollLast();
        path.clear();
        if (top != null) {
            top.add(took);
        }
    }

    long call(int site) {
        ArrayDeque<Node> path = paths.get();
        Node current = path.peek();
        if (current == null || path.size() >= MAX_PATH) {
            return NOT_TRACED;
        }
        Node child = current.children.get(site);
        if (child == null) {
            child = current.children.computeIfAbsent(site, s -> new Node(label(s)));
        }
        path.push(child);
        return System.nanoTime();
    }

    void callEnd(long token) {
        if (token == NOT_TRACED) {
            return;
        }
        long took = System.nanoTime() - token;
        Node node = paths.get().poll();
        if (node != null) {
            node.add(took);
        }
    }

    /** At the end of an interval: the tree, when the method was called in it. */
    void tick(long nowMillis) {
        Node done;
        synchronized (this) {
            if (nowMillis - intervalStart < everyMillis) {
                return;
            }
            intervalStart = nowMillis;
            done = root;
            root = new Node(done.label);
            allCalls += done.count.sum();
        }
        if (done.count.sum() > 0) {
            output.accept(new Json.Obj().put("event", "trace").put("probe", id).put("method", done.label).put("depth", depth)
                    .put("intervalMillis", everyMillis).put("tree", done.json()));
        }
    }

    private static double millis(double nanos) {
        return Math.round(nanos / 1000.0) / 1000.0;
    }

    @Override
    public synchronized Json.Obj describe() {
        Set<String> classes = new java.util.TreeSet<>();
        targets.forEach(c -> classes.add(c.getName()));
        return new Json.Obj().put("id", id).put("kind", "trace").put("location", target.getName() + "." + method).put("depth", depth)
                .put("everyMillis", everyMillis).put("methods", traced.size()).put("classes", List.copyOf(classes))
                .put("calls", allCalls + root.count.sum());
    }
}
