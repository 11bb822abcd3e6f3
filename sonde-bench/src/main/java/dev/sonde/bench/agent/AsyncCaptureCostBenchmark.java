package dev.sonde.bench.agent;

import com.sun.tools.attach.VirtualMachine;
import dev.sonde.core.agent.AgentClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Where one async-stack capture's time goes, each part alone at a 16-frame-deep stack (the capture keeps 16 frames):
 * the StackWalker's fixed cost (one frame), 16 frames without and with method names, the first slice's walk (stream
 * filter and limit, default first batch), a {@code new Throwable()}, and the spy itself with the agent loaded: a whole
 * capture of a new task (walk, table entry, sampling bookkeeping; {@code all} captures every one, {@code sampled} runs
 * past the default rate cap), the look-up that skips a task captured already, and the begin/end pair around a task run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading"})
@State(Scope.Thread)
public class AsyncCaptureCostBenchmark {

    static final int FRAMES = 16;
    private static final int DEPTH = 20;
    private static final StackWalker SIZED = StackWalker.getInstance(Set.of(), FRAMES + 2);
    private static final StackWalker DEFAULT = StackWalker.getInstance(EnumSet.noneOf(StackWalker.Option.class));

    /** The agent loaded with async capture; {@code all}: no rate cap, {@code sampled}: the default cap, long exceeded. */
    @State(Scope.Benchmark)
    public static class Spy {
        @Param({"all", "sampled"})
        public String rate;

        MethodHandle capture;
        MethodHandle begin;
        MethodHandle end;
        final Object known = new Object();

        @Setup(Level.Trial)
        public void load() throws Throwable {
            VirtualMachine self = VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
            try {
                self.loadAgent(AgentClient.agentJar().toString(), rate.equals("all") ? "async-only,async-rate=2000000000" : "async-only");
            } finally {
                self.detach();
            }
            Class<?> spy = Class.forName("dev.sonde.agent.spy.SondeSpyAsync", true, null);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            capture = lookup.findStatic(spy, "capture", MethodType.methodType(void.class, Object.class));
            begin = lookup.findStatic(spy, "begin", MethodType.methodType(void.class, Object.class));
            end = lookup.findStatic(spy, "end", MethodType.methodType(void.class));
            capture.invokeExact(known);
        }
    }

    @Benchmark
    public int baselineDepth() {
        return deep(DEPTH, () -> 1);
    }

    @Benchmark
    public int walkOneFrame() {
        return deep(DEPTH, () -> SIZED.walk(new Frames(1, true)).count);
    }

    @Benchmark
    public int walkFramesNoMethodNames() {
        return deep(DEPTH, () -> SIZED.walk(new Frames(FRAMES, false)).count);
    }

    @Benchmark
    public int walkFrames() {
        return deep(DEPTH, () -> SIZED.walk(new Frames(FRAMES, true)).count);
    }

    /** The first slice's walk: the default walker (first batch of 8 frames) and filter/limit/forEach stages. */
    @Benchmark
    public int walkFramesFirstSlice() {
        return deep(DEPTH, () -> {
            String[] classes = new String[FRAMES];
            String[] methods = new String[FRAMES];
            int[] indexes = new int[FRAMES];
            int[] count = new int[1];
            DEFAULT.walk(frames -> {
                frames.filter(frame -> !frame.getClassName().equals("x")).limit(FRAMES).forEach(frame -> {
                    int i = count[0]++;
                    classes[i] = frame.getClassName();
                    methods[i] = frame.getMethodName();
                    indexes[i] = frame.getByteCodeIndex();
                });
                return null;
            });
            return count[0];
        });
    }

    @Benchmark
    public void throwable(Blackhole hole) {
        deep(DEPTH, () -> {
            hole.consume(new Throwable());
            return 0;
        });
    }

    @Benchmark
    public void spyCaptureNewTask(Spy spy) {
        deep(DEPTH, () -> {
            try {
                spy.capture.invokeExact(new Object());
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            return 0;
        });
    }

    @Benchmark
    public void spyCaptureKnownTask(Spy spy) throws Throwable {
        spy.capture.invokeExact(spy.known);
    }

    @Benchmark
    public void spyBeginEnd(Spy spy) throws Throwable {
        spy.begin.invokeExact(spy.known);
        spy.end.invokeExact();
    }

    private static int deep(int depth, java.util.function.IntSupplier body) {
        return depth == 0 ? body.getAsInt() : deep(depth - 1, body) + 0;
    }

    private static final class Frames implements Function<Stream<StackWalker.StackFrame>, Frames>, Predicate<StackWalker.StackFrame> {
        final String[] classes;
        final String[] methods;
        final int[] indexes;
        final boolean names;
        int count;

        Frames(int limit, boolean names) {
            classes = new String[limit];
            methods = new String[limit];
            indexes = new int[limit];
            this.names = names;
        }

        @Override
        public Frames apply(Stream<StackWalker.StackFrame> stack) {
            stack.anyMatch(this);
            return this;
        }

        @Override
        public boolean test(StackWalker.StackFrame frame) {
            classes[count] = frame.getClassName();
            if (names) {
                methods[count] = frame.getMethodName();
            }
            indexes[count] = frame.getByteCodeIndex();
            return ++count == classes.length;
        }
    }
}
