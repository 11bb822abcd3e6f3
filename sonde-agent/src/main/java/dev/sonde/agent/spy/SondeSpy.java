package dev.sonde.agent.spy;

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
}
