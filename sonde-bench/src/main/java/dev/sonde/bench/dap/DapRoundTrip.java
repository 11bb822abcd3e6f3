package dev.sonde.bench.dap;

import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Variable;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.dap.server.DapListener;
import dev.sonde.dap.server.DapOptions;
import dev.sonde.dap.server.DapServer;
import dev.sonde.fixtures.BenchTarget;
import dev.sonde.fixtures.Markers;
import org.eclipse.lsp4j.debug.ConfigurationDoneArguments;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.debug.DebugLauncher;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What DAP adds per stop: a breakpoint hit reported to a client, which then reads the hit thread's stack, the
 * top frame's scopes and its locals, and resumes. Measured through {@code sonde dap} (the DAP server in this
 * process, a DAP client over a loopback socket with real framing) and through the Session API directly (a
 * subscriber that reads the stack and the locals), in alternating rounds against one {@code BenchTarget} JVM.
 * Both are timed from the moment the backend reports the stop, the last point they share.
 */
public final class DapRoundTrip {

    /** @param hits hits per measured round; @param rounds measured rounds per method; @param warmup hits per method before measuring */
    public record Settings(int hits, int rounds, int warmup) {
    }

    /**
     * One method's figures over its measured rounds.
     *
     * @param stopNanos      per hit: from the backend's report of the stop to the client holding it
     * @param readNanos      per hit: from the client holding the stop to its reads done
     * @param hitsPerSecond  per round: the whole loop (stop, reads, resume, the next hit)
     * @param framesPerHit   frames read per hit, to check both methods read the same
     * @param localsPerHit   locals read per hit
     */
    public record Measurement(String method, List<Long> stopNanos, List<Long> readNanos, List<Double> hitsPerSecond,
                              int framesPerHit, int localsPerHit) {

        public Measurement {
            stopNanos = List.copyOf(stopNanos);
            readNanos = List.copyOf(readNanos);
            hitsPerSecond = List.copyOf(hitsPerSecond);
        }

        public double stopMicros() {
            return percentile(stopNanos, 50) / 1e3;
        }

        public double stopMicrosP90() {
            return percentile(stopNanos, 90) / 1e3;
        }

        public double readMicros() {
            return percentile(readNanos, 50) / 1e3;
        }

        public double readMicrosP90() {
            return percentile(readNanos, 90) / 1e3;
        }

        /** The whole loop per hit, from the median round. */
        public double microsPerHit() {
            List<Double> sorted = hitsPerSecond.stream().sorted().toList();
            int middle = sorted.size() / 2;
            double median = sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
            return 1e6 / median;
        }

        private static double percentile(List<Long> values, int percent) {
            List<Long> sorted = values.stream().sorted().toList();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
        }
    }

    public record Report(Settings settings, String target, Measurement session, Measurement dap) {

        /** What DAP adds per stop: the stop's delivery and the reads, medians against the Session API's. */
        public double addedMicrosPerStop() {
            return (dap.stopMicros() + dap.readMicros()) - (session.stopMicros() + session.readMicros());
        }
    }

    /** What one method measured, round after round. */
    private static final class Samples {
        final List<Long> stopNanos = new ArrayList<>();
        final List<Long> readNanos = new ArrayList<>();
        final List<Double> hitsPerSecond = new ArrayList<>();
        int frames;
        int locals;

        Measurement measurement(String method) {
            return new Measurement(method, stopNanos, readNanos, hitsPerSecond, frames, locals);
        }
    }

    private static final Duration WAIT = Duration.ofMinutes(10);
    /** lsp4j logs every closed connection with a stack trace; held, as java.util.logging keeps loggers only weakly. */
    private static final Logger LSP4J_LOG = Logger.getLogger("org.eclipse.lsp4j");
    /** Where the benchmark tells the client its source lives: any root will do, the file need not exist. */
    private static final String SOURCE_ROOT = "/sonde-bench/src";

    private DapRoundTrip() {
    }

    public static Report run(Settings settings) throws Exception {
        LSP4J_LOG.setLevel(Level.WARNING);
        int line = Markers.line(BenchTarget.class, "hit");
        JvmLaunchSpec spec = JvmLaunchSpec.of(List.of("-cp", Markers.classPath().toString(), BenchTarget.class.getName()));
        StampedTargets targets = new StampedTargets();
        try (DebugServer target = DebugServer.start(spec, (category, text) -> { });
             DapListener listener = DapListener.open(InetAddress.getLoopbackAddress(), 0, new DapServer(targets, DapOptions.DEFAULT))) {
            HostPort address = target.address();
            Samples warmup = new Samples();
            session(targets, address, line, settings.warmup(), warmup);
            dap(targets, listener, address, line, settings.warmup(), warmup);
            Samples session = new Samples();
            Samples dap = new Samples();
            for (int round = 0; round < settings.rounds(); round++) {
                session(targets, address, line, settings.hits(), session);
                dap(targets, listener, address, line, settings.hits(), dap);
            }
            return new Report(settings, targetDescription(targets, address), session.measurement("Session API"),
                    dap.measurement("DAP (sonde dap)"));
        }
    }

    /** The Session API: a subscriber reads the stack and the locals of each stop, then resumes. */
    private static void session(StampedTargets targets, HostPort address, int line, int hits, Samples into) throws Exception {
        Session session = Session.connect("bench", targets.attach(address, Duration.ofSeconds(10)), SessionOptions.DEFAULT, Duration.ofSeconds(30));
        try {
            CompletableFuture<Long> finished = new CompletableFuture<>();
            long[] start = new long[1];
            int[] count = new int[1];
            session.subscribe(event -> {
                if (!(event instanceof Event.Stopped stopped) || stopped.reason() != StopReason.BREAKPOINT) {
                    return;
                }
                long held = System.nanoTime();
                long stop = held - targets.lastStop();
                if (count[0] == 0) {
                    start[0] = held;
                }
                try {
                    List<Frame> frames = session.stackTrace(stopped.thread().id());
                    List<Variable> locals = session.variables(stopped.thread().id(), 0);
                    into.stopNanos.add(stop);
                    into.readNanos.add(System.nanoTime() - held);
                    into.frames = frames.size();
                    into.locals = locals.size();
                    if (++count[0] >= hits) {
                        finished.complete(System.nanoTime() - start[0]);
                    } else {
                        session.resume();
                    }
                } catch (RuntimeException e) {
                    finished.completeExceptionally(e);
                }
            });
            var breakpoint = session.addBreakpoint(BenchTarget.class.getName() + ":" + line);
            long elapsed = finished.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            session.removeBreakpoint(breakpoint.id());
            session.resume();
            into.hitsPerSecond.add(rate(hits, elapsed));
        } finally {
            session.detach();
        }
    }

    /** Through {@code sonde dap}: on each stopped event, stackTrace, scopes and variables, then continue. */
    private static void dap(StampedTargets targets, DapListener listener, HostPort address, int line, int hits, Samples into) throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("bench-dap-client").unstarted(r));
        try (Socket socket = new Socket(listener.address().getAddress(), listener.address().getPort())) {
            socket.setTcpNoDelay(true);
            CompletableFuture<Void> initialized = new CompletableFuture<>();
            CompletableFuture<Long> finished = new CompletableFuture<>();
            Client client = new Client(initialized);
            Launcher<IDebugProtocolServer> launcher = new DebugLauncher.Builder<IDebugProtocolServer>()
                    .setLocalService(client).setRemoteInterface(IDebugProtocolServer.class)
                    .setInput(new BufferedInputStream(socket.getInputStream())).setOutput(new BufferedOutputStream(socket.getOutputStream())).setExecutorService(reader).create();
            IDebugProtocolServer server = launcher.getRemoteProxy();
            launcher.startListening();
            long[] start = new long[1];
            int[] count = new int[1];
            client.onStop = stopped -> {
                long held = System.nanoTime();
                long stop = held - targets.lastStop();
                if (count[0] == 0) {
                    start[0] = held;
                }
                // Events arrive on the client's reader thread, which must stay free to read the responses.
                StackTraceArguments stack = new StackTraceArguments();
                stack.setThreadId(stopped.getThreadId());
                server.stackTrace(stack).thenCompose(frames -> {
                    into.frames = frames.getStackFrames().length;
                    ScopesArguments scopes = new ScopesArguments();
                    scopes.setFrameId(frames.getStackFrames()[0].getId());
                    return server.scopes(scopes);
                }).thenCompose(scopes -> {
                    VariablesArguments variables = new VariablesArguments();
                    variables.setVariablesReference(scopes.getScopes()[0].getVariablesReference());
                    return server.variables(variables);
                }).thenCompose(locals -> {
                    into.stopNanos.add(stop);
                    into.readNanos.add(System.nanoTime() - held);
                    into.locals = locals.getVariables().length;
                    if (++count[0] >= hits) {
                        finished.complete(System.nanoTime() - start[0]);
                        return CompletableFuture.completedFuture(null);
                    }
                    ContinueArguments resume = new ContinueArguments();
                    resume.setThreadId(stopped.getThreadId());
                    return server.continue_(resume);
                }).exceptionally(failure -> {
                    finished.completeExceptionally(failure);
                    return null;
                });
            };
            InitializeRequestArguments initialize = new InitializeRequestArguments();
            initialize.setAdapterID("sonde");
            initialize.setLinesStartAt1(true);
            server.initialize(initialize).get(30, TimeUnit.SECONDS);
            server.attach(Map.of("hostName", address.host(), "port", address.port(), "sourcePaths", List.of(SOURCE_ROOT)))
                    .get(30, TimeUnit.SECONDS);
            initialized.get(30, TimeUnit.SECONDS);
            server.setBreakpoints(breakpoints(line)).get(30, TimeUnit.SECONDS);
            server.configurationDone(new ConfigurationDoneArguments()).get(30, TimeUnit.SECONDS);
            long elapsed = finished.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            server.setBreakpoints(breakpoints()).get(30, TimeUnit.SECONDS);
            DisconnectArguments detach = new DisconnectArguments();
            detach.setTerminateDebuggee(false);
            server.disconnect(detach).get(30, TimeUnit.SECONDS);
            into.hitsPerSecond.add(rate(hits, elapsed));
        } finally {
            reader.shutdownNow();
        }
    }

    private static SetBreakpointsArguments breakpoints(int... lines) {
        SetBreakpointsArguments arguments = new SetBreakpointsArguments();
        Source source = new Source();
        source.setPath(SOURCE_ROOT + "/" + BenchTarget.class.getName().replace('.', '/') + ".java");
        arguments.setSource(source);
        arguments.setBreakpoints(Arrays.stream(lines).mapToObj(line -> {
            SourceBreakpoint breakpoint = new SourceBreakpoint();
            breakpoint.setLine(line);
            return breakpoint;
        }).toArray(SourceBreakpoint[]::new));
        return arguments;
    }

    /** The benchmark's DAP client: hands stops to the loop, and says when the adapter is ready for breakpoints. */
    private static final class Client implements IDebugProtocolClient {
        private final CompletableFuture<Void> initialized;
        private volatile java.util.function.Consumer<StoppedEventArguments> onStop = stopped -> { };

        Client(CompletableFuture<Void> initialized) {
            this.initialized = initialized;
        }

        @Override
        public void initialized() {
            initialized.complete(null);
        }

        @Override
        public void stopped(StoppedEventArguments args) {
            onStop.accept(args);
        }
    }

    private static double rate(int hits, long elapsedNanos) {
        // The clock starts at the first hit, so hits - 1 round trips fit in the elapsed time.
        return (hits - 1) / (elapsedNanos / 1e9);
    }

    private static String targetDescription(StampedTargets targets, HostPort address) {
        try (Session session = Session.connect("describe", targets.attach(address, Duration.ofSeconds(10)), SessionOptions.DEFAULT,
                Duration.ofSeconds(30))) {
            return session.target().map(t -> t.description()).orElse("?");
        }
    }
}
