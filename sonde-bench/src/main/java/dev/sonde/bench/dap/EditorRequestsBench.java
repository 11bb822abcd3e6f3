package dev.sonde.bench.dap;

import dev.sonde.bench.PairedRounds;
import dev.sonde.core.backend.Connector;
import dev.sonde.core.event.Event;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Variable;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.dap.server.DapListener;
import dev.sonde.dap.server.DapOptions;
import dev.sonde.dap.server.DapServer;
import dev.sonde.dap.server.TargetFactory;
import dev.sonde.fixtures.EditorRequests;
import dev.sonde.fixtures.Markers;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;
import org.eclipse.lsp4j.debug.CompletionsArguments;
import org.eclipse.lsp4j.debug.ConfigurationDoneArguments;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.eclipse.lsp4j.debug.VariablesArgumentsFilter;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.debug.DebugLauncher;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What an editor waits for at a stop: console completions, and the first page of a huge {@code ArrayList} and
 * {@code HashMap} opened in the Variables view. Two {@code EditorRequests} JVMs hold the same collections at the same
 * line: one is read through the Session API, the other through {@code sonde dap} (a DAP client over a loopback
 * socket), in alternating rounds.
 */
public final class EditorRequestsBench {

    /** @param size elements of the list and entries of the map; @param rounds paired rounds; @param page elements per page */
    public record Settings(int size, int rounds, int page) {
    }

    /** One request's latencies through both methods, in nanoseconds, one per round. */
    public record Latency(String request, List<Long> sessionNanos, List<Long> dapNanos, int sessionItems, int dapItems) {

        public double sessionMillis() {
            return median(sessionNanos) / 1e6;
        }

        public double dapMillis() {
            return median(dapNanos) / 1e6;
        }

        private static double median(List<Long> values) {
            return PairedRounds.median(values.stream().map(Long::doubleValue).toList());
        }
    }

    public record Report(Settings settings, List<Latency> latencies) {
    }

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final Logger LSP4J_LOG = Logger.getLogger("org.eclipse.lsp4j");
    private static final String SOURCE_ROOT = "/sonde-bench/src";

    private EditorRequestsBench() {
    }

    public static Report run(Settings settings) throws Exception {
        LSP4J_LOG.setLevel(Level.WARNING);
        ServerManager servers = new ServerManager();
        TargetFactory targets = new TargetFactory() {
            @Override
            public Connector launch(JvmLaunchSpec spec) {
                return JdiConnector.launch(spec, servers, JdiOptions.DEFAULT);
            }

            @Override
            public Connector attach(HostPort address, Duration timeout) {
                return JdiConnector.attach(address, JdiOptions.DEFAULT.withAttachTimeout(timeout));
            }
        };
        int line = Markers.line(EditorRequests.class, "ready");
        List<String> javaArgs = List.of("-Xmx1g", "-cp", Markers.classPath().toString(), EditorRequests.class.getName(),
                Integer.toString(settings.size()));
        try (Session session = Session.connect("bench-session", targets.launch(JvmLaunchSpec.of(javaArgs).withSuspend(true)),
                SessionOptions.DEFAULT.withRequestTimeout(WAIT), WAIT);
             DapListener listener = DapListener.open(InetAddress.getLoopbackAddress(), 0, new DapServer(targets, new DapOptions(WAIT,
                     DapOptions.DEFAULT.attachTimeout(), DapOptions.DEFAULT.launchTimeout())));
             DapSide dap = DapSide.open(listener, line, settings.size())) {
            session.awaitStop(WAIT);
            session.addBreakpoint(EditorRequests.class.getName() + ":" + line);
            session.resume();
            if (!(session.awaitStop(WAIT) instanceof WaitOutcome.Stopped stopped) || stopped.event().reason() != dev.sonde.core.event.StopReason.BREAKPOINT) {
                throw new IllegalStateException("the Session API's target did not stop at the ready line");
            }
            long thread = session.currentStop().orElseThrow().thread().id();
            Map<String, Long> refs = new LinkedHashMap<>();
            for (Variable local : session.variables(thread, 0)) {
                refs.put(local.name(), local.value().ref());
            }
            List<Latency> latencies = new ArrayList<>();
            latencies.add(measure("completions \"account.\"", settings.rounds(),
                    () -> session.completions(thread, 0, "account.", 8).size(), () -> dap.completions("account.")));
            latencies.add(measure("ArrayList first page", settings.rounds(),
                    () -> session.children(refs.get("numbers"), 0, settings.page(), 0).size(), () -> dap.page("numbers", settings.page())));
            latencies.add(measure("HashMap first page", settings.rounds(),
                    () -> session.children(refs.get("names"), 0, settings.page(), 0).size(), () -> dap.page("names", settings.page())));
            session.terminate();
            return new Report(settings, latencies);
        }
    }

    private static Latency measure(String request, int rounds, Supplier<Integer> session, Supplier<Integer> dap) throws Exception {
        List<Long> sessionNanos = new ArrayList<>();
        List<Long> dapNanos = new ArrayList<>();
        int[] items = new int[2];
        // One unmeasured call each: the first pays for loading classes on both sides.
        session.get();
        dap.get();
        PairedRounds.run(rounds, List.of(() -> {
            long start = System.nanoTime();
            items[0] = session.get();
            long nanos = System.nanoTime() - start;
            sessionNanos.add(nanos);
            return 1e9 / nanos;
        }, () -> {
            long start = System.nanoTime();
            items[1] = dap.get();
            long nanos = System.nanoTime() - start;
            dapNanos.add(nanos);
            return 1e9 / nanos;
        }));
        return new Latency(request, sessionNanos, dapNanos, items[0], items[1]);
    }

    /** A DAP client held at the ready line of its own target, with the variables references of its locals. */
    private static final class DapSide implements AutoCloseable, IDebugProtocolClient {
        private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("bench-dap-client").unstarted(r));
        private final CompletableFuture<Void> initialized = new CompletableFuture<>();
        private final CompletableFuture<StoppedEventArguments> stopped = new CompletableFuture<>();
        private Socket socket;
        private IDebugProtocolServer server;
        private int frameId;
        private final Map<String, Integer> references = new LinkedHashMap<>();

        static DapSide open(DapListener listener, int line, int size) throws Exception {
            DapSide side = new DapSide();
            side.start(listener, line, size);
            return side;
        }

        private void start(DapListener listener, int line, int size) throws Exception {
            socket = new Socket(listener.address().getAddress(), listener.address().getPort());
            socket.setTcpNoDelay(true);
            Launcher<IDebugProtocolServer> launcher = new DebugLauncher.Builder<IDebugProtocolServer>()
                    .setLocalService(this).setRemoteInterface(IDebugProtocolServer.class)
                    .setInput(socket.getInputStream()).setOutput(socket.getOutputStream()).setExecutorService(reader).create();
            server = launcher.getRemoteProxy();
            launcher.startListening();
            InitializeRequestArguments initialize = new InitializeRequestArguments();
            initialize.setAdapterID("sonde");
            initialize.setLinesStartAt1(true);
            initialize.setColumnsStartAt1(true);
            get(server.initialize(initialize));
            get(server.launch(Map.of("mainClass", EditorRequests.class.getName(), "classPaths", List.of(Markers.classPath().toString()),
                    "args", List.of(Integer.toString(size)), "vmArgs", List.of("-Xmx1g"), "sourcePaths", List.of(SOURCE_ROOT))));
            get(initialized);
            SetBreakpointsArguments breakpoints = new SetBreakpointsArguments();
            Source source = new Source();
            source.setPath(SOURCE_ROOT + "/" + EditorRequests.class.getName().replace('.', '/') + ".java");
            breakpoints.setSource(source);
            SourceBreakpoint ready = new SourceBreakpoint();
            ready.setLine(line);
            breakpoints.setBreakpoints(new SourceBreakpoint[] {ready});
            get(server.setBreakpoints(breakpoints));
            get(server.configurationDone(new ConfigurationDoneArguments()));
            StackTraceArguments stack = new StackTraceArguments();
            stack.setThreadId(get(stopped).getThreadId());
            frameId = get(server.stackTrace(stack)).getStackFrames()[0].getId();
            ScopesArguments scopes = new ScopesArguments();
            scopes.setFrameId(frameId);
            VariablesArguments locals = new VariablesArguments();
            locals.setVariablesReference(get(server.scopes(scopes)).getScopes()[0].getVariablesReference());
            Arrays.stream(get(server.variables(locals)).getVariables()).forEach(v -> references.put(v.getName(), v.getVariablesReference()));
        }

        int completions(String text) {
            CompletionsArguments arguments = new CompletionsArguments();
            arguments.setFrameId(frameId);
            arguments.setText(text);
            arguments.setColumn(text.length() + 1);
            return get(server.completions(arguments)).getTargets().length;
        }

        int page(String local, int count) {
            VariablesArguments arguments = new VariablesArguments();
            arguments.setVariablesReference(references.get(local));
            arguments.setFilter(VariablesArgumentsFilter.INDEXED);
            arguments.setStart(0);
            arguments.setCount(count);
            return get(server.variables(arguments)).getVariables().length;
        }

        @Override
        public void initialized() {
            initialized.complete(null);
        }

        @Override
        public void stopped(StoppedEventArguments args) {
            stopped.complete(args);
        }

        private static <T> T get(CompletableFuture<T> future) {
            try {
                return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the DAP side of the benchmark failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws Exception {
            try {
                if (server != null) {
                    DisconnectArguments end = new DisconnectArguments();
                    end.setTerminateDebuggee(true);
                    server.disconnect(end).get(30, TimeUnit.SECONDS);
                }
            } finally {
                reader.shutdownNow();
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
