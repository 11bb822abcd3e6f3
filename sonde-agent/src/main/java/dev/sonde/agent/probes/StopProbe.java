package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A debugger's conditional breakpoint, decided in process: at the start of {@code line}, when {@code condition} holds
 * and the hit count says this hit counts, the code calls {@code SondeSpy.stop(id)}, the marker method that carries the
 * debugger's one JDWP breakpoint. Every other hit costs the condition and a counter, with no round trip to the debugger.
 *
 * @see HitCount
 */
public final class StopProbe implements Probe {

    /** Which of the hits whose condition held count, by their number (1 for the first): as the debugger's hit conditions. */
    public record HitCount(String kind, long count) {

        public static final HitCount ALL = new HitCount("every", 1);

        public HitCount {
            if (!kind.equals("hits") && !kind.equals("every") && !kind.equals("after")) {
                throw new ProbeRefused("The hit count must be hits N, every N or after N, not " + kind + ".");
            }
            if (count < (kind.equals("after") ? 0 : 1)) {
                throw new ProbeRefused("The hit count " + kind + " " + count + " is too small.");
            }
        }

        boolean passes(long hit) {
            return switch (kind) {
                case "hits" -> hit == count;
                case "every" -> hit % count == 0;
                default -> hit > count;
            };
        }
    }

    private final int id;
    private final Class<?> target;
    private final String method;
    private final String descriptor;
    private final int line;
    private final String conditionSource;
    private final Guard condition;
    private final HitCount hits;
    private final AtomicLong counted = new AtomicLong();
    private final AtomicLong stops = new AtomicLong();

    StopProbe(int id, Class<?> target, String method, String descriptor, int line, String conditionSource, Guard condition, HitCount hits) {
        this.id = id;
        this.target = target;
        this.method = method;
        this.descriptor = descriptor;
        this.line = line;
        this.conditionSource = conditionSource;
        this.condition = condition;
        this.hits = hits;
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

    Guard condition() {
        return condition;
    }

    /** Counts a hit whose condition held; whether it is one that stops. */
    boolean count() {
        boolean stop = hits.passes(counted.incrementAndGet());
        if (stop) {
            stops.incrementAndGet();
        }
        return stop;
    }

    @Override
    public void release() {
        if (condition instanceof dev.sonde.agent.expr.Conditions compiled) {
            compiled.release();
        }
    }

    @Override
    public Json.Obj describe() {
        Json.Obj out = new Json.Obj().put("id", id).put("kind", "stop").put("location", target.getName() + ":" + line)
                .put("method", method).put("hits", hits.kind() + " " + hits.count()).put("counted", counted.get()).put("stops", stops.get());
        return conditionSource == null ? out : out.put("condition", conditionSource);
    }
}
