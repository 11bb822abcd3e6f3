package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A snapshot at the start of {@code line}: the thread, its whole stack, the locals of its top {@code frames} frames
 * and the {@code watch} expressions, in the JSON of the JDWP snapshot event plus {@code source: "agent"}. The top
 * frame's locals are handed over by the instrumented code; the callers' come from {@link CallerLocals} when this
 * JVM allows it. After {@code max} snapshots (0: no limit) it captures no more and the table removes it.
 */
public final class SnapProbe implements Probe {

    /** A local the instrumented code hands over, in slot order: {@code this} first for an instance method. */
    record Captured(String name, int index, String descriptor, String kind) {
    }

    /** A watch expression resolved when the probe is set: a captured local (or {@code this}) or a static field, then fields. */
    record Watch(String expression, int captured, Field root, List<Field> fields, String error) {
    }

    private static final String AGENT = "dev.sonde.agent.";
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final int id;
    private final Class<?> target;
    private final String method;
    private final String descriptor;
    private final int line;
    private final List<Captured> captured;
    private final List<Watch> watches;
    private final Guard guard;
    private final String condition;
    private final int max;
    private final int frames;
    private final RateBudget rate;
    private final SnapshotValues values;
    private final SnapshotValues.Limits limits;
    private final Object callers;
    private final Consumer<Json.Obj> output;
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();

    SnapProbe(int id, Class<?> target, String method, String descriptor, int line, List<Captured> captured, List<Watch> watches,
              Guard guard, int max, int frames, RateBudget rate, SnapshotValues.Limits limits, Object callers, Consumer<Json.Obj> output) {
        this.id = id;
        this.target = target;
        this.method = method;
        this.descriptor = descriptor;
        this.line = line;
        this.captured = captured;
        this.watches = watches;
        this.guard = guard;
        this.condition = guard instanceof dev.sonde.agent.expr.Conditions c ? c.source() : null;
        this.max = max;
        this.frames = frames;
        this.rate = rate;
        this.limits = limits;
        this.values = new SnapshotValues(limits);
        this.callers = callers;
        this.output = output;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public Class<?> target() {
        return target;
    }

    String method() {
        return method;
    }

    String descriptor() {
        return descriptor;
    }

    int line() {
        return line;
    }

    List<Captured> captured() {
        return captured;
    }

    Guard guard() {
        return guard;
    }

    int max() {
        return max;
    }

    /** Whether it has taken its {@code max} snapshots, so the table may remove it. */
    boolean finished() {
        return max > 0 && taken.get() >= max;
    }

    boolean admit() {
        if (max > 0 && admitted.get() >= max) {
            return false;
        }
        if (!rate.admit()) {
            return false;
        }
        return max <= 0 || admitted.incrementAndGet() <= max;
    }

    void hit(Object[] locals) {
        output.accept(capture(sequence.incrementAndGet(), locals, Thread.currentThread()));
        taken.incrementAndGet();
    }

    /** The snapshot of this hit: what the instrumented frame handed over, and the stack it is called on. */
    Json.Obj capture(long number, Object[] locals, Thread thread) {
        Json.Obj event = new Json.Obj().put("event", "snapshot").put("probe", id).put("breakpoint", id).put("sequence", number)
                .put("time", Instant.now().toString()).put("thread", Threads.ref(thread));
        List<Json.Obj> stack = WALKER.walk((Function<Stream<StackWalker.StackFrame>, List<Json.Obj>>) s -> {
            List<Json.Obj> list = new ArrayList<>();
            s.dropWhile(f -> f.getClassName().startsWith(AGENT)).forEach(f -> list.add(new Json.Obj().put("class", f.getClassName())
                    .put("method", f.getMethodName()).put("file", f.getFileName()).put("line", f.getLineNumber()).put("index", list.size())));
            return list;
        });
        event.put("frames", stack);
        int budget = limits.bytes() - event.length();
        int[] left = {budget};
        int[] omitted = {0};
        List<Json.Obj> frameLocals = new ArrayList<>();
        List<Json.Obj> top = new ArrayList<>();
        for (int i = 0; i < captured.size(); i++) {
            Captured local = captured.get(i);
            add(top, values.variable(local.name(), locals[i], declared(local.descriptor()), local.kind()), left, omitted);
        }
        frameLocals.add(new Json.Obj().put("frame", 0).put("variables", top));
        if (frames > 1) {
            if (callers instanceof CallerLocals reader) {
                List<List<CallerLocals.Slot>> all = reader.callers(frames - 1);
                for (int f = 0; f < all.size(); f++) {
                    List<Json.Obj> variables = new ArrayList<>();
                    for (CallerLocals.Slot slot : all.get(f)) {
                        String kind = slot.name().equals("this") ? "this" : slot.argument() ? "argument" : "local";
                        add(variables, values.variable(slot.name(), slot.value(), declared(slot.descriptor()), kind), left, omitted);
                    }
                    frameLocals.add(new Json.Obj().put("frame", f + 1).put("variables", variables));
                }
            } else {
                event.put("callersNote", String.valueOf(callers));
            }
        }
        event.put("locals", frameLocals);
        List<Json.Obj> watched = new ArrayList<>();
        for (Watch watch : watches) {
            Json.Obj entry = new Json.Obj().put("expression", watch.expression());
            if (watch.error() != null) {
                watched.add(entry.put("error", watch.error()));
                continue;
            }
            try {
                Object value = watch.root() != null ? watch.root().get(null) : locals[watch.captured()];
                for (Field field : watch.fields()) {
                    if (value == null) {
                        throw new NullPointerException("null." + field.getName());
                    }
                    value = field.get(value);
                }
                values.value(value, watch.fields().isEmpty() ? "java.lang.Object" : SnapshotValues.typeName(watch.fields().get(watch.fields().size() - 1).getType()), entry);
            } catch (ReflectiveOperationException | RuntimeException e) {
                entry.put("error", "cannot read " + watch.expression() + ": " + e.getMessage());
            }
            add(watched, entry, left, omitted);
        }
        event.put("watches", watched);
        if (omitted[0] > 0) {
            event.put("truncated", omitted[0] + " value(s) left out: the snapshot reached its " + limits.bytes() + "-byte cap");
        }
        return event;
    }

    private static void add(List<Json.Obj> list, Json.Obj entry, int[] left, int[] omitted) {
        int size = entry.length() + 1;
        if (size > left[0]) {
            omitted[0]++;
            return;
        }
        left[0] -= size;
        list.add(entry);
    }

    /** Type names by descriptor: each hit names every local's declared type, and parsing the descriptor each time shows. */
    private static final java.util.concurrent.ConcurrentMap<String, String> DECLARED = new java.util.concurrent.ConcurrentHashMap<>();

    private static String declared(String descriptor) {
        String name = DECLARED.get(descriptor);
        if (name == null) {
            name = org.objectweb.asm.Type.getType(descriptor).getClassName();
            if (DECLARED.size() < 10_000) {
                DECLARED.put(descriptor, name);
            }
        }
        return name;
    }

    /** The snapshots dropped by the rate limit since the last report, if due. */
    void reportDropped(long nowMillis) {
        long fresh = rate.droppedSinceReport(nowMillis);
        if (fresh > 0) {
            output.accept(new Json.Obj().put("event", "dropped").put("probe", id).put("dropped", fresh).put("limit", rate.perSecond()));
        }
    }

    @Override
    public void release() {
        if (guard instanceof dev.sonde.agent.expr.Conditions compiled) {
            compiled.release();
        }
    }

    @Override
    public Json.Obj describe() {
        return new Json.Obj().put("id", id).put("kind", "snap").put("location", target.getName() + ":" + line).put("method", method)
                .put("max", max).put("frames", frames).put("limit", rate.perSecond()).put("taken", taken.get()).put("dropped", rate.dropped())
                .put("watch", watches.stream().map(Watch::expression).toList())
                .put("callerLocals", callers instanceof CallerLocals).put("condition", condition);
    }
}
