package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;
import dev.sonde.agent.expr.Conditions;
import dev.sonde.agent.expr.Failures;

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
    private final RateBudget rate;
    private final Consumer<Json.Obj> output;
    private final LongAdder printed = new LongAdder();
    /** The event's constant start, up to the text's opening quote. */
    private final String eventStart;
    private static final ThreadLocal<StringBuilder> LINE = ThreadLocal.withInitial(() -> new StringBuilder(256));

    LogProbe(int id, Class<?> target, String method, String descriptor, int line, String text, Template template, Guard condition,
             RateBudget rate, Consumer<Json.Obj> output) {
        this.id = id;
        this.target = target;
        this.method = method;
        this.descriptor = descriptor;
        this.line = line;
        this.text = text;
        this.template = template;
        this.condition = condition;
        this.rate = rate;
        this.output = output;
        this.eventStart = "{\"event\":\"log\",\"probe\":" + id + ",\"text\":\"";
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

    @Override
    public void release() {
        template.release();
        if (condition instanceof Conditions compiled) {
            compiled.release();
        }
    }

    /** How many hits had an expression (the condition or a value of the text) throw. */
    long errors() {
        return template.failures().stream().mapToLong(Failures::count).sum() + (condition instanceof Conditions compiled ? compiled.failures().count() : 0);
    }

    boolean admit() {
        return rate.admit();
    }

    void hit(Object[] values) {
        printed.increment();
        // the same members as Json.Obj puts them, rendered once into this thread's buffer
        StringBuilder line = LINE.get();
        line.setLength(0);
        line.append(eventStart);
        template.renderJson(values, line);
        line.append("\",\"thread\":\"");
        Json.escape(Thread.currentThread().getName(), line);
        line.append("\",\"time\":").append(System.currentTimeMillis());
        output.accept(Json.Obj.opened(line));
        if (line.capacity() > 65_536) {
            LINE.remove();
        }
    }

    /** Once a second: how many lines were dropped since the last report, if any. */
    void reportDropped(long nowMillis) {
        long fresh = rate.droppedSinceReport(nowMillis);
        if (fresh > 0) {
            output.accept(new Json.Obj().put("event", "dropped").put("probe", id).put("dropped", fresh).put("limit", rate.perSecond()));
        }
    }

    @Override
    public Json.Obj describe() {
        Json.Obj description = new Json.Obj().put("id", id).put("kind", "log").put("location", target.getName() + ":" + line)
                .put("method", method).put("text", text);
        if (condition instanceof Conditions compiled) {
            description.put("condition", compiled.source());
        }
        return description.put("limit", rate.perSecond()).put("printed", printed.sum()).put("dropped", rate.dropped()).put("errors", errors());
    }
}
