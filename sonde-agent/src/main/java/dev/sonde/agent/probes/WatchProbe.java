package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Each call of a method (every overload of the name, or the one {@code name(types)} picks): its arguments, its
 * return value or exception, and its duration. {@code show} picks what is reported: {@code args} the arguments,
 * {@code return} the calls that return (and, so no failure goes unseen, the calls that throw), {@code throw} the
 * calls that throw; {@code throw} alone reports only those, {@code args} alone every call's arguments.
 */
public final class WatchProbe implements Probe {

    /** One overload: its descriptor, the parameters' names and types, and the slot after its own locals. */
    record Site(String descriptor, List<String> names, List<String> types, int firstFreeSlot, Guard guard) {
    }

    static final Set<String> SHOWS = Set.of("args", "return", "throw");

    private final int id;
    private final Class<?> target;
    private final String method;
    private final List<Site> sites;
    private final Set<String> show;
    private final RateBudget rate;
    private final SnapshotValues values = new SnapshotValues(SnapshotValues.Limits.DEFAULT);
    private final Consumer<Json.Obj> output;
    private final AtomicLong reported = new AtomicLong();

    WatchProbe(int id, Class<?> target, String method, List<Site> sites, Set<String> show, RateBudget rate, Consumer<Json.Obj> output) {
        this.id = id;
        this.target = target;
        this.method = method;
        this.sites = sites;
        this.show = show;
        this.rate = rate;
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

    /** The index of the overload with this descriptor, or -1 when the probe does not watch it. */
    int site(String descriptor) {
        for (int i = 0; i < sites.size(); i++) {
            if (sites.get(i).descriptor().equals(descriptor)) {
                return i;
            }
        }
        return -1;
    }

    Site site(int index) {
        return sites.get(index);
    }

    void call(int site, Object[] args, Object result, Throwable thrown, long startNanos) {
        long took = System.nanoTime() - startNanos;
        boolean argsAlone = !show.contains("return") && !show.contains("throw");
        boolean wanted = argsAlone || (thrown == null ? show.contains("return") : show.contains("throw") || show.contains("return"));
        if (!wanted || !rate.admit()) {
            return;
        }
        Site at = sites.get(site);
        Json.Obj event = new Json.Obj().put("event", "watch").put("probe", id)
                .put("method", target.getName() + "." + method + "(" + String.join(", ", at.types()) + ")")
                .put("time", Instant.now().toString()).put("thread", Threads.ref(Thread.currentThread()));
        if (show.contains("args")) {
            List<Json.Obj> shown = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                shown.add(values.variable(at.names().get(i), args[i], at.types().get(i), "argument"));
            }
            event.put("args", shown);
        }
        if (thrown != null) {
            event.put("exception", new Json.Obj().put("type", thrown.getClass().getName()).put("message", message(thrown)));
        } else if (show.contains("return")) {
            event.put("returnValue", values.value(result, at.descriptor().endsWith(")V") ? "void" : "java.lang.Object", new Json.Obj()));
        }
        event.put("durationMicros", Math.round(took / 100.0) / 10.0);
        reported.incrementAndGet();
        output.accept(event);
    }

    /** The exception's message as the JDK keeps it (its detail field), without running an overridden getMessage. */
    private static String message(Throwable thrown) {
        try {
            java.lang.reflect.Method own = thrown.getClass().getMethod("getMessage");
            if (own.getDeclaringClass() == Throwable.class) {
                return thrown.getMessage();
            }
        } catch (NoSuchMethodException e) {
            // cannot happen: Throwable declares it
        }
        return null;
    }

    void reportDropped(long nowMillis) {
        long fresh = rate.droppedSinceReport(nowMillis);
        if (fresh > 0) {
            output.accept(new Json.Obj().put("event", "dropped").put("probe", id).put("dropped", fresh).put("limit", rate.perSecond()));
        }
    }

    @Override
    public Json.Obj describe() {
        return new Json.Obj().put("id", id).put("kind", "watch").put("location", target.getName() + "." + method)
                .put("overloads", sites.size()).put("show", List.copyOf(new java.util.TreeSet<>(show))).put("limit", rate.perSecond())
                .put("reported", reported.get()).put("dropped", rate.dropped())
                .put("condition", sites.get(0).guard() instanceof dev.sonde.agent.expr.Conditions c ? c.source() : null);
    }
}
