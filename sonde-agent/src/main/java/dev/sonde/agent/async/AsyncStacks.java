package dev.sonde.agent.async;

import dev.sonde.agent.spy.SondeSpyAsync;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Async-stack capture: turns the spy's capture on and rewrites the JDK's scheduling points, those loaded already
 * (retransformed) and those loaded later. Started by {@code SondeAgent} when its options include {@code async}.
 *
 * <p>Options, comma-separated after {@code async}: {@code async-frames=N} (frames per capture, default 16, at most 29),
 * {@code async-depth=N} (hand-offs kept per chain, default 8), {@code async-rate=N} (captures a second taken in full
 * before sampling, default 20000), {@code async-sample=N} (one in N past that, default 64).
 */
public final class AsyncStacks {

    /** The system property set once capture runs; its value is {@code on}. */
    public static final String RUNNING_PROPERTY = "sonde.agent.async";

    private AsyncStacks() {
    }

    /** Called once, reflectively, by {@code SondeAgent} from the agent's own class loader. */
    public static void start(Instrumentation instrumentation, String options) throws Exception {
        openTraces(instrumentation);
        if (System.getProperty(RUNNING_PROPERTY) != null) {
            // loaded again (a debugger attaching): the scheduling points are rewritten already, capture only needs to be on
            if (!SondeSpyAsync.enabled()) {
                SondeSpyAsync.enable(settings(options));
            }
            return;
        }
        SondeSpyAsync.enable(settings(options));
        SchedulingPoints points = new SchedulingPoints();
        instrumentation.addTransformer(points, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (type.getClassLoader() == null && SchedulingPoints.targets(type.getName().replace('.', '/'))
                    && instrumentation.isModifiableClass(type)) {
                loaded.add(type);
            }
        }
        for (Class<?> type : loaded) {
            try {
                instrumentation.retransformClasses(type);
            } catch (Throwable e) {
                points.failures().put(type.getName(), e);
            }
        }
        for (Map.Entry<String, Throwable> failure : points.failures().entrySet()) {
            System.err.println("sonde agent: async stacks skip " + failure.getKey().replace('/', '.') + ": " + failure.getValue());
        }
        System.setProperty(RUNNING_PROPERTY, "on");
    }

    /** Lets the spy read the JVM's stack traces ({@code Throwable.backtrace}): the captures are made of them. */
    private static void openTraces(Instrumentation instrumentation) {
        Module base = Object.class.getModule();
        Module spy = SondeSpyAsync.class.getModule();
        if (!base.isOpen("java.lang", spy)) {
            instrumentation.redefineModule(base, Set.of(), Map.of(), Map.of("java.lang", Set.of(spy)), Set.of(), Map.of());
        }
    }

    static SondeSpyAsync.Settings settings(String options) {
        int frames = 16;
        int depth = 8;
        int rate = 20_000;
        int sample = 64;
        for (String option : options == null ? new String[0] : options.split(",")) {
            int equals = option.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = option.substring(0, equals).trim();
            int value;
            try {
                value = Integer.parseInt(option.substring(equals + 1).trim());
            } catch (NumberFormatException e) {
                System.err.println("sonde agent: ignoring " + option + ": the value must be a whole number");
                continue;
            }
            switch (key) {
                case "async-frames" -> frames = value;
                case "async-depth" -> depth = value;
                case "async-rate" -> rate = value;
                case "async-sample" -> sample = value;
                default -> {
                }
            }
        }
        return new SondeSpyAsync.Settings(frames, depth, rate, sample);
    }
}
