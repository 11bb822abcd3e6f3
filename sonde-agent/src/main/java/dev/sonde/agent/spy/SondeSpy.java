package dev.sonde.agent.spy;

import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The one class instrumented code calls. It is put on the boot class path, so code of any class loader can see
 * it; everything else of the agent stays in the agent's own class loader, behind {@link Sink}.
 */
public final class SondeSpy {

    /** What the agent does with a hit; ids of removed probes are ignored. */
    public interface Sink {
        boolean admit(int probe);

        void log(int probe, Object[] values);

        void exit(int probe, long startNanos, boolean threw);
    }

    private static final Sink NONE = new Sink() {
        @Override
        public boolean admit(int probe) {
            return false;
        }

        @Override
        public void log(int probe, Object[] values) {
        }

        @Override
        public void exit(int probe, long startNanos, boolean threw) {
        }
    };

    private static volatile Sink sink = NONE;
    /** What compiled expressions refer to by index: method handles for members they may not access, error sites. */
    private static volatile Object[] constants = new Object[16];
    private static int constantCount;

    private SondeSpy() {
    }

    public static void install(Sink newSink) {
        sink = newSink == null ? NONE : newSink;
    }

    /** Whether a logpoint's hit may print (its rate budget); only then are its values gathered. */
    public static boolean admit(int probe) {
        return sink.admit(probe);
    }

    public static void log(int probe, Object[] values) {
        sink.log(probe, values);
    }

    public static long enter(int probe) {
        return System.nanoTime();
    }

    public static void exit(int probe, long startNanos, boolean threw) {
        sink.exit(probe, startNanos, threw);
    }

    /** Keeps {@code constant} for instrumented code, which loads it by the returned index. */
    public static synchronized int define(Object constant) {
        Object[] table = constants;
        if (constantCount == table.length) {
            table = Arrays.copyOf(table, table.length * 2);
        } else {
            table = table.clone();
        }
        table[constantCount] = constant;
        constants = table;
        return constantCount++;
    }

    /** The handle an expression reads a field or calls a method through when the probed class may not do it directly. */
    public static MethodHandle handle(int index) {
        return (MethodHandle) constants[index];
    }

    /**
     * An expression of a probe threw {@code error}: the error site at {@code site} counts it (and reports the first of
     * each kind), and gives what a template hole shows in its place.
     */
    @SuppressWarnings("unchecked")
    public static Object failed(Throwable error, int site) {
        try {
            return constants[site] instanceof Function<?, ?> report ? ((Function<Throwable, Object>) report).apply(error) : null;
        } catch (Throwable reportFailed) {
            return null;
        }
    }

    /** A value in string concatenation without running the application's code: its objects show as type@identity. */
    public static String show(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Character
                || value instanceof Number && value.getClass().getName().startsWith("java.")) {
            return String.valueOf(value);
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value.getClass().isArray()) {
            return value.getClass().getComponentType().getName() + "[" + java.lang.reflect.Array.getLength(value) + "]";
        }
        return value.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(value));
    }
}
