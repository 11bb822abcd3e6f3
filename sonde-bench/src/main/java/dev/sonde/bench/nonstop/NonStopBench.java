package dev.sonde.bench.nonstop;

import dev.sonde.bench.PairedRounds;
import dev.sonde.bench.RawJdi;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.Location;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.fixtures.BenchTarget;
import dev.sonde.fixtures.Markers;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Breakpoints that do not stop the target: (a) a condition false on almost every hit ({@code i % 1000 == 7}),
 * (b) a logpoint with two expressions, (c) a snapshot of the stack and the locals of the top frames. Each is
 * measured through Sonde and through a minimal raw-JDI loop doing the same reads (the floor), in the same run,
 * against one target JVM, in alternating rounds. Hits per second are read from the target itself, which reports
 * how many times its loop has run, so measuring asks nothing of either debugger.
 */
public final class NonStopBench {

    /** The three workloads. */
    public enum Workload {
        CONDITION("condition false on every hit (i % 1000 == 7)"),
        LOGPOINT("logpoint with two expressions"),
        SNAPSHOT("snapshot: stack + locals of 2 frames");

        private final String label;

        Workload(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param measure      how long each round counts hits
     * @param warmup       how long each round runs before it counts
     * @param rounds       measured rounds per method and workload
     * @param warmupRounds rounds per method and workload run first and not counted
     */
    public record Settings(Duration measure, Duration warmup, int rounds, int warmupRounds) {
    }

    /** Median hits per second through Sonde and through the floor, and every round's figures. */
    public record Result(Workload workload, List<Double> sonde, List<Double> floor) {
        public double sondeMedian() {
            return PairedRounds.median(sonde);
        }

        public double floorMedian() {
            return PairedRounds.median(floor);
        }

        /** Sonde's time per hit over the floor's: the median of the rounds' pairs ({@link PairedRounds}). */
        public double ratio() {
            return PairedRounds.pairRatio(floor, sonde);
        }
    }

    private static final Pattern REPORT = Pattern.compile("calls (\\d+) at (\\d+)");
    private static final int SNAPSHOT_FRAMES = 2;

    private NonStopBench() {
    }

    public static List<Result> run(Settings settings) throws Exception {
        int line = Markers.line(BenchTarget.class, "hit");
        AtomicReference<long[]> latest = new AtomicReference<>(new long[] {0, 0});
        JvmLaunchSpec spec = JvmLaunchSpec.of(List.of("-cp", Markers.classPath().toString(), BenchTarget.class.getName(), "--report"));
        StringBuilder partial = new StringBuilder();
        try (DebugServer target = DebugServer.start(spec, (category, text) -> {
            synchronized (partial) {
                partial.append(text);
                int end;
                while ((end = partial.indexOf("\n")) >= 0) {
                    Matcher report = REPORT.matcher(partial.substring(0, end));
                    if (report.find()) {
                        latest.set(new long[] {Long.parseLong(report.group(1)), Long.parseLong(report.group(2))});
                    }
                    partial.delete(0, end + 1);
                }
            }
        })) {
            List<Result> results = new ArrayList<>();
            for (Workload workload : Workload.values()) {
                List<PairedRounds.Round> methods = List.of(
                        () -> withFloor(target.address(), line, workload, settings, latest),
                        () -> withSonde(target.address(), line, workload, settings, latest));
                // Rounds not counted, so that both run compiled code when measured: JDI's own packet handling, which
                // both share, takes some 15 s of hits on two cores to reach its compiled speed.
                PairedRounds.run(settings.warmupRounds(), methods);
                List<List<Double>> figures = PairedRounds.run(settings.rounds(), methods);
                results.add(new Result(workload, figures.get(1), figures.get(0)));
            }
            return results;
        }
    }

    /** The target's loop rate while {@code running} is in place, from its own reports. */
    private static double measure(Settings settings, AtomicReference<long[]> latest) throws InterruptedException {
        Thread.sleep(settings.warmup().toMillis());
        long[] start = latest.get();
        Thread.sleep(settings.measure().toMillis());
        long[] end = latest.get();
        if (end[1] <= start[1]) {
            throw new IllegalStateException("the target stopped reporting its progress");
        }
        return (end[0] - start[0]) / ((end[1] - start[1]) / 1e9);
    }

    private static double withSonde(HostPort address, int line, Workload workload, Settings settings,
                                    AtomicReference<long[]> latest) throws Exception {
        Session session = Session.connect("bench", JdiConnector.attach(address, JdiOptions.DEFAULT), SessionOptions.DEFAULT,
                Duration.ofSeconds(30));
        try {
            // The condition holds on one hit in a thousand: that stop is resumed at once, as the floor does.
            session.subscribe(event -> {
                if (event instanceof dev.sonde.core.event.Event.Stopped) {
                    session.async().resume();
                }
            });
            BreakpointOptions options = switch (workload) {
                case CONDITION -> BreakpointOptions.DEFAULT.withCondition("i % 1000 == 7");
                case LOGPOINT -> BreakpointOptions.DEFAULT.withAction(new BreakpointAction.Log("hit {i} for {name}"));
                case SNAPSHOT -> BreakpointOptions.DEFAULT.withAction(new BreakpointAction.Snapshot(0, List.of(), SNAPSHOT_FRAMES));
            };
            Breakpoint breakpoint = session.addBreakpoint(new BreakpointSpec.ClassLine(BenchTarget.class.getName(), line), options);
            double rate = measure(settings, latest);
            session.removeBreakpoint(breakpoint.id());
            return rate;
        } finally {
            session.detach();
        }
    }

    /** The floor: a hand-written JDI loop doing the same reads as Sonde for each workload. */
    private static double withFloor(HostPort address, int line, Workload workload, Settings settings,
                                    AtomicReference<long[]> latest) throws Exception {
        VirtualMachine vm = RawJdi.attach(address);
        AtomicBoolean running = new AtomicBoolean(true);
        try {
            ReferenceType type = RawJdi.loaded(vm, BenchTarget.class.getName());
            Location location = type.locationsOfLine(line).get(0);
            BreakpointRequest request = vm.eventRequestManager().createBreakpointRequest(location);
            request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            request.enable();
            Thread loop = Thread.ofPlatform().start(() -> floorLoop(vm, workload, running));
            double rate = measure(settings, latest);
            running.set(false);
            vm.eventRequestManager().deleteEventRequest(request);
            vm.dispose();
            loop.join(5_000);
            return rate;
        } finally {
            if (running.get()) {
                vm.dispose();
            }
        }
    }

    private static void floorLoop(VirtualMachine vm, Workload workload, AtomicBoolean running) {
        LocalVariable[] locals = new LocalVariable[2];
        List<Object> sink = new ArrayList<>();
        try {
            while (running.get()) {
                EventSet set = vm.eventQueue().remove();
                for (Event event : set) {
                    if (event instanceof BreakpointEvent hit) {
                        floorHit(workload, hit.thread(), locals, sink);
                    }
                }
                sink.clear();
                set.resume();
            }
        } catch (com.sun.jdi.VMDisconnectedException disposed) {
            // the measurement is over
        } catch (Exception e) {
            if (running.get()) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void floorHit(Workload workload, ThreadReference thread, LocalVariable[] locals, List<Object> sink) throws Exception {
        switch (workload) {
            case CONDITION -> {
                StackFrame frame = thread.frame(0);
                if (locals[0] == null) {
                    locals[0] = frame.visibleVariableByName("i");
                }
                if (((IntegerValue) frame.getValue(locals[0])).value() % 1000 == 7) {
                    sink.add("stop");
                }
            }
            case LOGPOINT -> {
                StackFrame frame = thread.frame(0);
                if (locals[0] == null) {
                    locals[0] = frame.visibleVariableByName("i");
                    locals[1] = frame.visibleVariableByName("name");
                }
                Map<LocalVariable, Value> values = frame.getValues(List.of(locals[0], locals[1]));
                sink.add("hit " + ((IntegerValue) values.get(locals[0])).value() + " for " + ((StringReference) values.get(locals[1])).value());
            }
            case SNAPSHOT -> {
                List<StackFrame> frames = thread.frames();
                for (StackFrame frame : frames) {
                    Location at = frame.location();
                    sink.add(at.declaringType().name() + at.method().name() + at.sourceName() + at.lineNumber());
                }
                for (int i = 0; i < Math.min(SNAPSHOT_FRAMES, frames.size()); i++) {
                    StackFrame frame = frames.get(i);
                    Map<LocalVariable, Value> values = frame.getValues(frame.visibleVariables());
                    for (Value value : values.values()) {
                        sink.add(value instanceof StringReference string ? string.value() : String.valueOf(value));
                    }
                }
            }
        }
    }
}
