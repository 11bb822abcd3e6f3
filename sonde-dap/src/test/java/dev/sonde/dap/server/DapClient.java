package dev.sonde.dap.server;

import org.eclipse.lsp4j.debug.BreakpointEventArguments;
import org.eclipse.lsp4j.debug.ContinuedEventArguments;
import org.eclipse.lsp4j.debug.ExitedEventArguments;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.TerminatedEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArguments;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.debug.DebugLauncher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A DAP client for tests: lsp4j's own client side over a socket to the adapter, recording every event in order
 * and handing them out per kind, each once.
 */
final class DapClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    /** An event as it came: its DAP name and body. */
    record Received(String event, Object body) {
    }

    private final Socket socket;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("dap-test-client").unstarted(r));
    private final IDebugProtocolServer server;
    private final List<Received> events = new ArrayList<>();
    private final Map<String, Integer> consumed = new HashMap<>();

    private DapClient(Socket socket) throws IOException {
        this.socket = socket;
        Launcher<IDebugProtocolServer> launcher = new DebugLauncher.Builder<IDebugProtocolServer>()
                .setLocalService(new Recorder())
                .setRemoteInterface(IDebugProtocolServer.class)
                .setInput(socket.getInputStream())
                .setOutput(socket.getOutputStream())
                .setExecutorService(executor)
                .create();
        this.server = launcher.getRemoteProxy();
        launcher.startListening();
    }

    static DapClient connect(InetSocketAddress address) {
        try {
            Socket socket = new Socket(address.getAddress(), address.getPort());
            socket.setTcpNoDelay(true);
            return new DapClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    IDebugProtocolServer server() {
        return server;
    }

    /** Initializes as a client counting lines from 1. */
    org.eclipse.lsp4j.debug.Capabilities initialize() {
        InitializeRequestArguments arguments = new InitializeRequestArguments();
        arguments.setClientID("sonde-tests");
        arguments.setAdapterID("sonde");
        arguments.setLinesStartAt1(true);
        arguments.setColumnsStartAt1(true);
        arguments.setPathFormat("path");
        return get(server.initialize(arguments));
    }

    /** Initializes, launches, waits for {@code initialized}: the program is held before main, ready for breakpoints. */
    void launch(Map<String, Object> arguments) {
        initialize();
        get(server.launch(arguments));
        next("initialized", Object.class);
    }

    /** Sends configurationDone. */
    void configurationDone() {
        get(server.configurationDone(new org.eclipse.lsp4j.debug.ConfigurationDoneArguments()));
    }

    /** The result of a request, failing the test on an error response. */
    static <T> T get(CompletableFuture<T> request) {
        try {
            return request.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the request failed: " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("no response within " + WAIT, e);
        }
    }

    /** The message of an error response, failing the test when the request succeeds. */
    static String error(CompletableFuture<?> request) {
        try {
            Object result = request.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected an error response, got " + result);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResponseErrorException error) {
                return error.getResponseError().getMessage();
            }
            throw new AssertionError("expected an error response", e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no response within " + WAIT, e);
        }
    }

    StoppedEventArguments stopped() {
        return next("stopped", StoppedEventArguments.class);
    }

    /** The next event of a kind not handed out yet, waiting for it. */
    <T> T next(String event, Class<T> type) {
        return next(event, type, body -> true);
    }

    /** The next event of a kind that matches, waiting for it; the ones it passes over are handed out too. */
    <T> T next(String event, Class<T> type, Predicate<T> matching) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (events) {
            while (true) {
                int from = consumed.getOrDefault(event, 0);
                for (int i = from; i < events.size(); i++) {
                    Received received = events.get(i);
                    if (received.event().equals(event)) {
                        consumed.put(event, i + 1);
                        T body = type.cast(received.body());
                        if (matching.test(body)) {
                            return body;
                        }
                    }
                }
                consumed.put(event, Math.max(consumed.getOrDefault(event, 0), events.size()));
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching '" + event + "' event within " + WAIT + "; events: " + events);
                }
                try {
                    events.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Every event so far, in order. */
    List<Received> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** All program output of a category so far, joined. */
    String output(String category) {
        StringBuilder text = new StringBuilder();
        for (Received received : events()) {
            if (received.body() instanceof OutputEventArguments output && category.equals(output.getCategory())) {
                text.append(output.getOutput());
            }
        }
        return text.toString();
    }

    /** Waits until the output of a category contains {@code text}. */
    String awaitOutput(String category, String text) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (events) {
            while (!output(category).contains(text)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + category + " output '" + text + "' within " + WAIT + "; got: " + output(category));
                }
                try {
                    events.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            return output(category);
        }
    }

    /** Leaves without a word, as a crashed client would. */
    void vanish() {
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
        executor.shutdownNow();
    }

    private void record(String event, Object body) {
        synchronized (events) {
            events.add(new Received(event, body));
            events.notifyAll();
        }
    }

    /** The client side: records each event. */
    private final class Recorder implements IDebugProtocolClient {
        @Override
        public void initialized() {
            record("initialized", new Object());
        }

        @Override
        public void stopped(StoppedEventArguments args) {
            record("stopped", args);
        }

        @Override
        public void continued(ContinuedEventArguments args) {
            record("continued", args);
        }

        @Override
        public void exited(ExitedEventArguments args) {
            record("exited", args);
        }

        @Override
        public void terminated(TerminatedEventArguments args) {
            record("terminated", args == null ? new TerminatedEventArguments() : args);
        }

        @Override
        public void thread(ThreadEventArguments args) {
            record("thread", args);
        }

        @Override
        public void output(OutputEventArguments args) {
            record("output", args);
        }

        @Override
        public void breakpoint(BreakpointEventArguments args) {
            record("breakpoint", args);
        }
    }
}
