package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;
import dev.sonde.agent.expr.Conditions;
import dev.sonde.agent.expr.Failures;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A logpoint: at the start of {@code line} in {@code method}, where {@code condition} holds, prints {@code template},
 * at most {@code linesPerSecond} lines a second; the hits over the budget are counted, not formatted. The first error
 * of each kind its expressions throw is reported once, as an {@code error} event; all are counted.
 */
public final class LogProbe implements Probe {

    private final int id;
    private final Class<?> target;
    private final String method;
    private final String descriptor;
    private final int line;
    private final String text;
    private final Template template;
    private final Guard condition;
    private final int linesPerSecond;
    private final Consumer<Json.Obj> output;

    private volatile long windowStart = System.nanoTime();
    private final AtomicLong inWindow = new AtomicLong();
    private final LongAdder printed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private long droppedReported;
    private long lastReportMillis;

    LogProbe(int id, Class<?> target, String method, String descriptor, int line, String text, Template template,
             int linesPerSecond, Consumer<Json.Obj> output) {
        this(id, target, method, descriptor, line, text, template, Guard.ALWAYS, linesPerSecond, output);
    }

    LogProbe(int id, Class<?> target, String method, String descriptor, int line, String text, Template template, Guard condition,
             int linesPerSecond, Consumer<Json.Obj> output) {
        this.id = id;
        this.target = target;
        this.method = method;
        this.descriptor = descriptor;
        this.line = line;
        this.text = text;
        this.template = template;
        this.condition = condition;
        this.linesPerSecond = linesPerSecond;
        this.output = output;
        Consumer<String> errors = sentence -> output.accept(new Json.Obj().put("event", "error").put("probe", id).put("text", sentence));
        template.failures().forEach(f -> f.onFirstOfKind(errors));
        if (condition instanceof Conditions compiled) {
            compiled.failures().onFirstOfKind(errors);
        }
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

    Template template() {
        return template;
    }

    Guard condition() {
        return condition;
    }

    /** How many hits had an expression (the condition or a value of the text) throw. */
    long errors() {
        return template.failures().stream().mapToLong(Failures::count).sum() + (condition instanceof Conditions compiled ? compiled.failures().count() : 0);
    }

    boolean admit() {
        long now = System.nanoTime();
        long start = windowStart;
        if (now - start >= 1_000_000_000L) {
            synchronized (this) {
                if (windowStart == start) {
                    inWindow.set(0);
                    windowStart = now;
                }
            }
        }
        if (inWindow.incrementAndGet() <= linesPerSecond) {
            return true;
        }
        dropped.increment();
        return false;
    }

    void hit(Object[] values) {
        printed.increment();
        Thread thread = Thread.currentThread();
        output.accept(new Json.Obj().put("event", "log").put("probe", id).put("text", template.render(values))
                .put("thread", thread.getName()).put("time", System.currentTimeMillis()));
    }

    /** Once a second: how many lines were dropped since the last report, if any. */
    synchronized void reportDropped(long nowMillis) {
        long total = dropped.sum();
        if (total > droppedReported && nowMillis - lastReportMillis >= 1000) {
            lastReportMillis = nowMillis;
            output.accept(new Json.Obj().put("event", "dropped").put("probe", id).put("dropped", total - droppedReported)
                    .put("limit", linesPerSecond));
            droppedReported = total;
        }
    }

    @Override
    public Json.Obj describe() {
        Json.Obj description = new Json.Obj().put("id", id).put("kind", "log").put("location", target.getName() + ":" + line)
                .put("method", method).put("text", text);
        if (condition instanceof Conditions compiled) {
            description.put("condition", compiled.source());
        }
        return description.put("limit", linesPerSecond).put("printed", printed.sum()).put("dropped", dropped.sum()).put("errors", errors());
    }
}
