package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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

    private static final ThreadLocal<StringBuilder> LINE = ThreadLocal.withInitial(() -> new StringBuilder(2048));

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
    /** How a hit reads its callers' locals; null when it shows no caller's locals. */
    private final CallerLocals.Reading callerReading;
    private final Consumer<Json.Obj> output;
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    /** The event's constant start, up to the sequence number. */
    private final String eventStart;
    /** The captured locals' declared type names, in their order. */
    private final String[] declaredTypes;

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
        this.callerReading = frames > 1 && callers instanceof CallerLocals reader ? reader.reading(frames - 1) : null;
        this.output = output;
        this.eventStart = "{\"event\":\"snapshot\",\"probe\":" + id + ",\"breakpoint\":" + id + ",\"sequence\":";
        this.declaredTypes = captured.stream().map(c -> org.objectweb.asm.Type.getType(c.descriptor()).getClassName()).toArray(String[]::new);
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

    /** How a hit reads its callers' locals ({@code reading.walker().walk(reading)}, called by the spy's sink itself); null for none. */
    CallerLocals.Reading callerReading() {
        return callerReading;
    }

    /** A hit: the top frame's locals, the callers' as read by {@link #callerReading} and a {@code Throwable} made by the sink. */
    void hit(Object[] locals, List<List<CallerLocals.Slot>> callerSlots, Throwable stack) {
        StringBuilder line = LINE.get();
        line.setLength(0);
        // numbered and sent under one lock, so that concurrent hits reach the client in their sequence's order
        synchronized (this) {
            render(sequence.incrementAndGet(), locals, callerSlots, stack, Thread.currentThread(), line);
            output.accept(Json.Obj.opened(line));
        }
        taken.incrementAndGet();
        if (line.capacity() > 262_144) {
            LINE.remove();
        }
    }

    /**
     * The snapshot of this hit, written onto {@code out} without its closing brace (as {@link Json.Obj#opened} takes
     * it): what the instrumented frame handed over, its callers' locals as read, and its stack as {@code stack} holds
     * it. The members and their order are those of the JDWP snapshot event; each variable and watch is written in place
     * and taken back when it would pass the byte cap.
     */
    @SuppressWarnings("deprecation")
    void render(long number, Object[] locals, List<List<CallerLocals.Slot>> callerSlots, Throwable stack, Thread thread, StringBuilder out) {
        int start = out.length();
        out.append(eventStart).append(number).append(",\"time\":\"");
        Timestamps.append(Instant.now(), out);
        out.append("\",\"thread\":{\"id\":").append(thread.getId()).append(",\"name\":\"");
        Json.escape(thread.getName(), out);
        out.append("\",\"virtual\":").append(Threads.virtual(thread)).append("},\"frames\":[");
        Stacks.frames(stack, out);
        out.append(']');
        Cap cap = new Cap(limits.bytes() - (out.length() - start + 1));
        if (frames > 1 && !(callers instanceof CallerLocals)) {
            out.append(",\"callersNote\":\"");
            Json.escape(String.valueOf(callers), out);
            out.append('"');
        }
        out.append(",\"locals\":[{\"frame\":0,\"variables\":[");
        boolean first = true;
        for (int i = 0; i < captured.size(); i++) {
            Captured local = captured.get(i);
            int mark = out.length();
            if (!first) {
                out.append(',');
            }
            values.write(out, local.name(), locals[i], declaredTypes[i], local.kind());
            if (cap.keep(out, mark, first)) {
                first = false;
            }
        }
        out.append("]}");
        if (frames > 1) {
            for (int f = 0; f < callerSlots.size(); f++) {
                out.append(",{\"frame\":").append(f + 1).append(",\"variables\":[");
                first = true;
                for (CallerLocals.Slot slot : callerSlots.get(f)) {
                    int mark = out.length();
                    if (!first) {
                        out.append(',');
                    }
                    values.write(out, slot.name(), slot.value(), slot.typeName(), slot.kind());
                    if (cap.keep(out, mark, first)) {
                        first = false;
                    }
                }
                out.append("]}");
            }
        }
        out.append("],\"watches\":[");
        first = true;
        for (Watch watch : watches) {
            int mark = out.length();
            if (!first) {
                out.append(',');
            }
            out.append("{\"expression\":\"");
            Json.escape(watch.expression(), out);
            out.append('"');
            if (watch.error() != null) {
                // as before: an expression that could not be resolved is listed whatever the cap
                out.append(",\"error\":\"");
                Json.escape(watch.error(), out);
                out.append("\"}");
                first = false;
                continue;
            }
            Json.Obj entry = new Json.Obj();
            try {
                Object value = watch.root() != null ? watch.root().get(null) : locals[watch.captured()];
                for (Field field : watch.fields()) {
                    if (value == null) {
                        throw new NullPointerException("null." + field.getName());
                    }
                    value = field.get(value);
                }
                values.value(value, watch.fields().isEmpty() ? "java.lang.Object"
                        : SnapshotValues.typeName(watch.fields().get(watch.fields().size() - 1).getType()), entry);
            } catch (ReflectiveOperationException | RuntimeException e) {
                entry = new Json.Obj().put("error", "cannot read " + watch.expression() + ": " + e.getMessage());
            }
            String members = entry.toString();
            out.append(',').append(members, 1, members.length());
            if (cap.keep(out, mark, first)) {
                first = false;
            }
        }
        out.append(']');
        if (cap.omitted > 0) {
            out.append(",\"truncated\":\"").append(cap.omitted).append(" value(s) left out: the snapshot reached its ").append(limits.bytes())
                    .append("-byte cap\"");
        }
    }

    /** What is left of the snapshot's byte cap once the stack is written, and how many entries did not fit. */
    private static final class Cap {
        private int left;
        private int omitted;

        Cap(int left) {
            this.left = left;
        }

        /**
         * Keeps the entry just written after {@code mark} (after its leading comma unless it is its list's first) when
         * its length plus one still fits, as a separate JSON object and its comma were counted; else takes it back.
         */
        boolean keep(StringBuilder out, int mark, boolean first) {
            int size = out.length() - mark - (first ? 0 : 1) + 1;
            if (size > left) {
                omitted++;
                out.setLength(mark);
                return false;
            }
            left -= size;
            return true;
        }
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
