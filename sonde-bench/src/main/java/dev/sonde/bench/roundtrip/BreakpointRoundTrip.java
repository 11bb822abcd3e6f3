package dev.sonde.bench.roundtrip;

import dev.sonde.bench.PairedRounds;
import dev.sonde.bench.RawJdi;
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
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Variable;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per breakpoint hit: read the stack of the hit thread and the locals of its top frame, then resume.
 * Measured through the Session API (blocking calls and the async API) and through a minimal raw-JDI
 * loop doing the same reads — the floor — in the same run, against the same target JVM, in rounds run back
 * to back in ABC CBA order; each method is compared with the floor by the median of its rounds' pair ratios.
 */
public final class BreakpointRoundTrip {

    /** @param hits hits per measured round; @param rounds measured rounds per method; @param warmup hits per method before measuring */
    public record Settings(int hits, int rounds, int warmup) {
    }

    /** Hits per second of each measured round, and what was read per hit (for checking that all methods read the same). */
    public record Measurement(String method, List<Double> hitsPerSecond, int framesPerHit, int variablesPerHit) {
        public double median() {
            return PairedRounds.median(hitsPerSecond);
        }

        public double microsPerHit() {
            return 1e6 / median();
        }
    }

    public record Report(Settings settings, String target, Measurement floor, Measurement sessionBlocking, Measurement sessionAsync) {
        /** The method's time per hit over the floor's: the median of the rounds' pairs ({@link PairedRounds}). */
        public double ratio(Measurement measurement) {
            return PairedRounds.pairRatio(floor.hitsPerSecond(), measurement.hitsPerSecond());
        }
    }

    private BreakpointRoundTrip() {
    }

    public static Report run(Settings settings) throws Exception {
        int line = Markers.line(BenchTarget.class, "hit");
        JvmLaunchSpec spec = JvmLaunchSpec.of(List.of("-cp", Markers.classPath().toString(), BenchTarget.class.getName()));
        try (DebugServer target = DebugServer.start(spec, (category, text) -> { })) {
            HostPort address = target.address();
            int[] floorReads = new int[2];
            int[] sessionReads = new int[2];
            int[] asyncReads = new int[2];
            rawJdi(address, line, settings.warmup(), floorReads);
            session(address, line, settings.warmup(), false, sessionReads);
            session(address, line, settings.warmup(), true, asyncReads);
            // Back to back in ABC CBA order: each round's three figures are compared with each other, not across rounds.
            List<List<Double>> figures = PairedRounds.run(settings.rounds(), List.of(
                    () -> rawJdi(address, line, settings.hits(), floorReads),
                    () -> session(address, line, settings.hits(), false, sessionReads),
                    () -> session(address, line, settings.hits(), true, asyncReads)));
            return new Report(settings, targetDescription(address),
                    new Measurement("raw JDI (floor)", figures.get(0), floorReads[0], floorReads[1]),
                    new Measurement("Session API, blocking", figures.get(1), sessionReads[0], sessionReads[1]),
                    new Measurement("Session API, async", figures.get(2), asyncReads[0], asyncReads[1]));
        }
    }

    /** The floor: the least a JDI client can do for the same reads. Returns hits per second. */
    static double rawJdi(HostPort address, int line, int hits, int[] reads) throws Exception {
        VirtualMachine vm = RawJdi.attach(address);
        try {
            ReferenceType type = RawJdi.loaded(vm, BenchTarget.class.getName());
            Location location = type.locationsOfLine(line).get(0);
            BreakpointRequest request = vm.eventRequestManager().createBreakpointRequest(location);
            request.setSuspendPolicy(EventRequest.SUSPEND_ALL);
            request.enable();
            int count = 0;
            long start = 0;
            List<Object> sink = new ArrayList<>();
            while (count < hits) {
                EventSet set = vm.eventQueue().remove();
                for (Event event : set) {
                    if (event instanceof BreakpointEvent hit) {
                        if (count == 0) {
                            start = System.nanoTime();
                        }
                        ThreadReference thread = hit.thread();
                        List<StackFrame> frames = thread.frames();
                        for (StackFrame frame : frames) {
                            Location at = frame.location();
                            sink.add(at.declaringType().name());
                            sink.add(at.method().name());
                            sink.add(at.sourceName());
                            sink.add(at.lineNumber());
                        }
                        StackFrame top = frames.get(0);
                        List<LocalVariable> variables = top.visibleVariables();
                        Map<LocalVariable, Value> values = top.getValues(variables);
                        for (LocalVariable variable : variables) {
                            Value value = values.get(variable);
                            sink.add(value instanceof StringReference string ? string.value() : String.valueOf(value));
                        }
                        reads[0] = frames.size();
                        reads[1] = variables.size();
                        sink.clear();
                        count++;
                    }
                }
                if (count < hits) {
                    set.resume();
                } else {
                    long elapsed = System.nanoTime() - start;
                    vm.eventRequestManager().deleteEventRequest(request);
                    set.resume();
                    return rate(hits, elapsed);
                }
            }
            throw new IllegalStateException("unreachable");
        } finally {
            vm.dispose();
        }
    }

    /** Through Sonde: a subscriber that reads on each stop and resumes. Returns hits per second. */
    static double session(HostPort address, int line, int hits, boolean asynchronous, int[] reads) throws Exception {
        Session session = Session.connect("bench", JdiConnector.attach(address, JdiOptions.DEFAULT), SessionOptions.DEFAULT,
                Duration.ofSeconds(30));
        try {
            AtomicInteger count = new AtomicInteger();
            CompletableFuture<Long> finished = new CompletableFuture<>();
            long[] start = new long[1];
            session.subscribe(event -> {
                if (!(event instanceof dev.sonde.core.event.Event.Stopped stopped) || stopped.reason() != StopReason.BREAKPOINT) {
                    return;
                }
                long thread = stopped.thread().id();
                if (count.get() == 0) {
                    start[0] = System.nanoTime();
                }
                if (asynchronous) {
                    session.async().stackTrace(thread, 0, Integer.MAX_VALUE)
                            .thenCombine(session.async().variables(thread, 0, 0), (frames, variables) -> record(frames, variables, reads))
                            .thenCompose(ignored -> afterHit(session, count, hits, start[0], finished))
                            .exceptionally(failure -> {
                                finished.completeExceptionally(failure);
                                return null;
                            });
                } else {
                    try {
                        record(session.stackTrace(thread), session.variables(thread, 0), reads);
                        afterHit(session, count, hits, start[0], finished).join();
                    } catch (RuntimeException e) {
                        finished.completeExceptionally(e);
                    }
                }
            });
            Breakpoint breakpoint = session.addBreakpoint(BenchTarget.class.getName() + ":" + line);
            long elapsed = finished.get(10, TimeUnit.MINUTES);
            session.removeBreakpoint(breakpoint.id());
            session.resume();
            return rate(hits, elapsed);
        } finally {
            session.detach();
        }
    }

    private static Object record(List<Frame> frames, List<Variable> variables, int[] reads) {
        reads[0] = frames.size();
        reads[1] = variables.size();
        return null;
    }

    private static CompletableFuture<Void> afterHit(Session session, AtomicInteger count, int hits, long start, CompletableFuture<Long> finished) {
        if (count.incrementAndGet() >= hits) {
            finished.complete(System.nanoTime() - start);
            return CompletableFuture.completedFuture(null);
        }
        return session.async().resume();
    }

    private static double rate(int hits, long elapsedNanos) {
        // The clock starts at the first hit, so hits - 1 round trips fit in the elapsed time.
        return (hits - 1) / (elapsedNanos / 1e9);
    }

    private static String targetDescription(HostPort address) throws Exception {
        VirtualMachine vm = RawJdi.attach(address);
        try {
            return vm.name() + " " + vm.version();
        } finally {
            vm.dispose();
        }
    }
}
