package dev.sonde.agent.expr;

import dev.sonde.agent.spy.SondeSpy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where the exceptions of a probe's compiled expressions go: the instrumented code catches them and hands them here
 * (through {@link SondeSpy#failed}), so none reaches the application. Each kind is counted, and the first of each
 * kind is reported once, as a sentence, to the probe's listener.
 */
public final class Failures implements Function<Throwable, Object> {

    /** What a template hole shows when its expression threw. */
    public record Failed(String kind) {
        @Override
        public String toString() {
            return "<" + kind + ">";
        }
    }

    private final String what;
    private final String consequence;
    private final int site;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private volatile Consumer<String> listener = sentence -> {
    };

    /** {@code what}: the expression as the sentence names it; {@code consequence}: what a throw means for the hit (%s: the exception's simple name). */
    Failures(String what, String consequence) {
        this.what = what;
        this.consequence = consequence;
        this.site = SondeSpy.define(this);
    }

    /** The index instrumented code passes to {@link SondeSpy#failed}. */
    int site() {
        return site;
    }

    /** Where the first error of each kind goes, as one sentence. */
    public void onFirstOfKind(Consumer<String> sentences) {
        this.listener = sentences;
    }

    /** How many hits threw, of every kind together. */
    public long count() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public Object apply(Throwable error) {
        String kind = error.getClass().getSimpleName();
        boolean[] first = new boolean[1];
        counts.computeIfAbsent(kind, k -> {
            first[0] = true;
            return new LongAdder();
        }).increment();
        if (first[0]) {
            String detail = error.getMessage() == null ? "" : " (" + error.getMessage().lines().findFirst().orElse("").strip() + ")";
            listener.accept(what + " threw " + error.getClass().getName() + detail + "; " + consequence.replace("%s", kind)
                    + ". Later errors of this kind are only counted.");
        }
        return new Failed(kind);
    }
}
