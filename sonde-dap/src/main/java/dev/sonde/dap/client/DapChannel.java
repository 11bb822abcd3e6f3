package dev.sonde.dap.client;

import dev.sonde.core.backend.ConnectRetry;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.HostPort;
import org.eclipse.lsp4j.debug.BreakpointEventArguments;
import org.eclipse.lsp4j.debug.ContinuedEventArguments;
import org.eclipse.lsp4j.debug.ExitedEventArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.ProcessEventArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.TerminatedEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArguments;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import com.google.gson.JsonObject;
import dev.sonde.dap.framing.BrokenFramingException;
import dev.sonde.dap.framing.FrameReader;
import dev.sonde.dap.framing.StrictMessageProducer;
import org.eclipse.lsp4j.jsonrpc.JsonRpcException;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.json.ConcurrentMessageProcessor;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.debug.DebugLauncher;
import org.eclipse.lsp4j.jsonrpc.messages.NotificationMessage;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One connection to a DAP server: the socket, lsp4j's framing, requests with a time limit and one-sentence failures,
 * and the server's events handed to one thread of their own, in order.
 *
 * <p>lsp4j reads messages and completes requests on its reader thread, and calls event methods on it too: an event
 * handler that waited there for a response would wait forever. So events are passed on to the event thread, which
 * may send requests and wait for their answers.
 */
final class DapChannel implements AutoCloseable {

    /** The server answered a request with an error; {@link #serverMessage()} is what it said. */
    static final class Refused extends SondeException {
        private final String serverMessage;

        Refused(String message, String serverMessage) {
            super(ErrorKind.BAD_STATE, message);
            this.serverMessage = serverMessage;
        }

        String serverMessage() {
            return serverMessage;
        }
    }

    private static final AtomicLong IDS = new AtomicLong();
    private static final Set<String> EVENTS_HANDLED = ServiceEndpoints.getSupportedMethods(IDebugProtocolClient.class).keySet();

    private final long id = IDS.incrementAndGet();
    private final HostPort address;
    private final Socket socket;
    private final Duration requestTimeout;
    private final ExecutorService reader;
    private final ExecutorService events;
    private final IDebugProtocolServer remote;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> initialized = new CompletableFuture<>();
    /** Requests waiting for their answer: failed at once when the connection ends. */
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    /** Events that came before a handler was set, in order. Guarded by itself. */
    private final List<Consumer<DapEvents>> early = new ArrayList<>();
    private DapEvents handler;
    private volatile Thread eventThread;
    private volatile String debugpyVersion;
    /** Why the server's input could not be read, once it could not. */
    private volatile String unreadable;

    private DapChannel(HostPort address, Socket socket, Duration requestTimeout) throws IOException {
        this.address = address;
        this.socket = socket;
        this.requestTimeout = requestTimeout;
        this.reader = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("sonde-dap-client-" + id + "-reader-", 1).factory());
        this.events = Executors.newSingleThreadExecutor(task -> {
            eventThread = Thread.ofPlatform().daemon().name("sonde-dap-client-" + id + "-events").unstarted(task);
            return eventThread;
        });
        InputStream in = new EndOnFailure(socket.getInputStream());
        Launcher<IDebugProtocolServer> launcher = new StrictFraming()
                .setLocalService(new Inbox())
                .setRemoteInterface(IDebugProtocolServer.class)
                .setInput(in)
                .setOutput(socket.getOutputStream())
                .setExecutorService(reader)
                .wrapMessages(DapChannel::dropUnhandledEvents)
                .create();
        this.remote = launcher.getRemoteProxy();
        launcher.startListening();
        closed.whenComplete((done, failure) -> {
            initialized.completeExceptionally(gone());
            pending.forEach(request -> request.completeExceptionally(gone()));
            deliver(target -> {
                target.connectionClosed();
                // The connection's end is the last event: the thread may end.
                events.shutdown();
            });
        });
    }

    /**
     * Connects to a DAP server, retrying with backoff while nothing listens there yet, for up to {@code attachTimeout}.
     */
    static DapChannel connect(HostPort address, Duration attachTimeout, Duration requestTimeout) {
        ConnectRetry.Wording wording = new ConnectRetry.Wording("start the script with `python3 -m debugpy --listen " + address
                + " --wait-for-client app.py` (or use sonde launch --python), and check the address", "the DAP server");
        return ConnectRetry.connect(address, attachTimeout, wording, (host, timeoutMillis) -> {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host, address.port()), timeoutMillis);
                socket.setTcpNoDelay(true);
                return new DapChannel(address, socket, requestTimeout);
            } catch (IOException | RuntimeException e) {
                closeQuietly(socket);
                throw e;
            }
        });
    }

    /** A number for this connection, unique in the process, to name its threads. */
    long id() {
        return id;
    }

    HostPort address() {
        return address;
    }

    IDebugProtocolServer remote() {
        return remote;
    }

    /** Completes when the server sends {@code initialized}; fails if the connection ends first. */
    CompletableFuture<Void> initialized() {
        return initialized;
    }

    /** Completes when the connection has ended. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /** debugpy's version, when the server is debugpy (it says so in a telemetry event as the session begins); else null. */
    String debugpyVersion() {
        return debugpyVersion;
    }

    /** Sets who receives the server's events, starting with those that came before. */
    void handle(DapEvents target) {
        synchronized (early) {
            handler = target;
            early.forEach(event -> dispatch(event, target));
            early.clear();
        }
    }

    /** Whether the current thread is the event thread (where waiting for an answer is allowed). */
    boolean onEventThread() {
        return Thread.currentThread() == eventThread;
    }

    /**
     * Sends a request and waits for its answer, at most the request timeout.
     *
     * @param what what the request does, for messages: {@code "read the stack of thread 1"}
     * @throws Refused when the server answers with an error
     * @throws SondeException when the connection is gone or the server does not answer in time
     */
    <T> T call(String what, Function<IDebugProtocolServer, CompletableFuture<T>> request) {
        return call(what, request, requestTimeout);
    }

    /** {@link #call(String, Function)} with its own time limit. */
    <T> T call(String what, Function<IDebugProtocolServer, CompletableFuture<T>> request, Duration timeout) {
        if (closed.isDone()) {
            throw gone();
        }
        CompletableFuture<T> answer;
        try {
            answer = request.apply(remote);
        } catch (JsonRpcException unwritable) {
            throw gone();
        }
        pending.add(answer);
        try {
            if (closed.isDone()) {
                answer.completeExceptionally(gone());
            }
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw SondeException.timeout("The debug server did not answer within " + timeout.toSeconds() + " s when asked to " + what
                    + "; it may be hung or overloaded. Try again, or raise session.requestTimeout.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SondeException.badState("Interrupted while waiting for the debug server.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ResponseErrorException refused) {
                String said = oneSentence(refused.getResponseError().getMessage());
                throw new Refused("The debug server refused to " + what + ": " + said + ".", said);
            }
            if (cause instanceof SondeException sonde) {
                throw sonde;
            }
            if (cause instanceof JsonRpcException) {
                throw gone();
            }
            throw SondeException.from(cause);
        } finally {
            pending.remove(answer);
        }
    }

    /**
     * Sends a request without waiting for its answer (for answers that come late, like debugpy's to {@code attach},
     * which comes only after {@code configurationDone}). The future fails when the connection ends first.
     */
    <T> CompletableFuture<T> send(Function<IDebugProtocolServer, CompletableFuture<T>> request) {
        if (closed.isDone()) {
            return CompletableFuture.failedFuture(gone());
        }
        CompletableFuture<T> answer;
        try {
            answer = request.apply(remote);
        } catch (JsonRpcException unwritable) {
            return CompletableFuture.failedFuture(gone());
        }
        pending.add(answer);
        answer.whenComplete((result, failure) -> pending.remove(answer));
        if (closed.isDone()) {
            answer.completeExceptionally(gone());
        }
        return answer;
    }

    /** A server's message as one sentence without its final period: the last line of a traceback is the one that says what happened. */
    static String oneSentence(String message) {
        if (message == null || message.isBlank()) {
            return "no reason given";
        }
        List<String> lines = message.strip().lines().filter(l -> !l.isBlank()).toList();
        String last = lines.get(lines.size() - 1).strip();
        return last.endsWith(".") ? last.substring(0, last.length() - 1) : last;
    }

    private SondeException gone() {
        String why = unreadable;
        return SondeException.targetGone(why == null
                ? "The connection to the debug server at " + address + " is gone; attach again to go on."
                : "The debug server at " + address + " sent what is no DAP message (" + why + "), so Sonde closed the connection;"
                + " check that it is a DAP server such as debugpy.");
    }

    /**
     * lsp4j's launcher with {@link FrameReader}'s strict framing: lsp4j's own reader logs a stack trace for a body that is
     * not JSON and then reads on from the middle of nowhere. Here such input ends the connection, and says why.
     */
    private final class StrictFraming extends DebugLauncher.Builder<IDebugProtocolServer> {
        private MessageJsonHandler json;
        private RemoteEndpoint endpoint;

        @Override
        protected MessageJsonHandler createJsonHandler() {
            json = super.createJsonHandler();
            return json;
        }

        @Override
        protected RemoteEndpoint createRemoteEndpoint(MessageJsonHandler handler) {
            endpoint = super.createRemoteEndpoint(handler);
            return endpoint;
        }

        @Override
        protected ConcurrentMessageProcessor createMessageProcessor(MessageProducer lsp4jReader, MessageConsumer consumer,
                                                                    IDebugProtocolServer proxy) {
            StrictMessageProducer strict = new StrictMessageProducer(new FrameReader(input), this::toMessage, broken -> {
                unreadable = broken.getMessage().endsWith(".") ? broken.getMessage().substring(0, broken.getMessage().length() - 1)
                        : broken.getMessage();
                close();
            });
            return super.createMessageProcessor(strict, consumer, proxy);
        }

        private Message toMessage(JsonObject body) throws BrokenFramingException {
            try {
                return json.parseMessage(body.toString());
            } catch (MessageIssueException issue) {
                // A message lsp4j can place but not fully read (a response body of the wrong shape): its request fails.
                endpoint.handle(issue.getRpcMessage(), issue.getIssues());
                return null;
            } catch (RuntimeException unreadableBody) {
                throw new BrokenFramingException("a message lsp4j cannot read: " + unreadableBody.getClass().getSimpleName());
            }
        }
    }

    /** Ends the connection; the event thread learns of it through {@link DapEvents#connectionClosed()}. */
    @Override
    public void close() {
        closeQuietly(socket);
        closed.complete(null);
        reader.shutdown();
    }

    private void deliver(Consumer<DapEvents> event) {
        synchronized (early) {
            if (handler == null) {
                early.add(event);
                return;
            }
            dispatch(event, handler);
        }
    }

    private void dispatch(Consumer<DapEvents> event, DapEvents target) {
        try {
            events.execute(() -> event.accept(target));
        } catch (RejectedExecutionException over) {
            // the connection has ended and its last event has been handled
        }
    }

    /** The object lsp4j calls with the server's events, on its reader thread: each is passed on to the event thread. */
    private final class Inbox implements IDebugProtocolClient {
        @Override
        public void initialized() {
            DapChannel.this.initialized.complete(null);
            deliver(DapEvents::initialized);
        }

        @Override
        public void stopped(StoppedEventArguments args) {
            deliver(events -> events.stopped(args));
        }

        @Override
        public void continued(ContinuedEventArguments args) {
            deliver(events -> events.continued(args));
        }

        @Override
        public void exited(ExitedEventArguments args) {
            deliver(events -> events.exited(args));
        }

        @Override
        public void terminated(TerminatedEventArguments args) {
            deliver(events -> events.terminated(args));
        }

        @Override
        public void thread(ThreadEventArguments args) {
            deliver(events -> events.thread(args));
        }

        @Override
        public void output(OutputEventArguments args) {
            if ("telemetry".equals(args.getCategory()) && "debugpy".equals(args.getOutput()) && args.getData() instanceof Map<?, ?> data) {
                debugpyVersion = String.valueOf(data.get("packageVersion")).replaceFirst("\\+.*", "");
            }
            deliver(events -> events.output(args));
        }

        @Override
        public void breakpoint(BreakpointEventArguments args) {
            deliver(events -> events.breakpoint(args));
        }

        @Override
        public void process(ProcessEventArguments args) {
            deliver(events -> events.process(args));
        }
    }

    /** lsp4j logs a warning for every event it has no method for (debugpy sends its own kinds): drop those first. */
    private static MessageConsumer dropUnhandledEvents(MessageConsumer next) {
        return message -> {
            if (message instanceof NotificationMessage event && !EVENTS_HANDLED.contains(event.getMethod())) {
                return;
            }
            next.consume(message);
        };
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }

    /**
     * The socket's input, turning a broken connection into a plain end of input, so lsp4j's reader ends quietly
     * instead of logging the failure, and noting the end for the channel.
     */
    private final class EndOnFailure extends FilterInputStream {
        EndOnFailure(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                if (b < 0) {
                    closed.complete(null);
                }
                return b;
            } catch (IOException broken) {
                closed.complete(null);
                return -1;
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                int n = super.read(buffer, offset, length);
                if (n < 0) {
                    closed.complete(null);
                }
                return n;
            } catch (IOException broken) {
                closed.complete(null);
                return -1;
            }
        }
    }
}
