package dev.sonde.dap.server;

import com.google.gson.GsonBuilder;
import dev.sonde.dap.framing.BrokenFramingException;
import dev.sonde.dap.framing.FrameReader;
import dev.sonde.dap.framing.StrictMessageProducer;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.debug.DebugRemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.debug.json.DebugMessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugResponseMessage;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One DAP client on a pair of streams (stdio or a socket), served on a thread of its own until the client goes
 * away. A client that goes away without disconnecting ends its session all the same: a program the adapter
 * launched is ended, one it attached to is let go.
 */
public final class DapConnection {

    private static final System.Logger LOG = System.getLogger(DapConnection.class.getName());
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final InputStream in;
    private final OutputStream out;
    private final DebugContext context;
    private final DebugRemoteEndpoint endpoint;
    private final StrictMessageProducer reader;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final CompletableFuture<Void> disconnected = new CompletableFuture<>();

    private DapConnection(InputStream in, OutputStream out, TargetFactory targets, DapOptions options) {
        this.in = in;
        this.out = out;
        DebugMessageJsonHandler json = new DebugMessageJsonHandler(ServiceEndpoints.getSupportedMethods(SondeDebugClient.class),
                GsonBuilder::disableHtmlEscaping);
        MessageConsumer toClient = new StreamMessageConsumer(out, json);
        RequestDispatcher dispatcher = new RequestDispatcher(Handlers.all(), json.getGson(), options.requestTimeout());
        this.endpoint = new DebugRemoteEndpoint(message -> send(toClient, message), dispatcher, DapErrors::toResponseError);
        json.setMethodProvider(endpoint);
        this.context = new DebugContext(ServiceEndpoints.toServiceObject(endpoint, SondeDebugClient.class), targets, options,
                new DebugContext.ConnectionEnds(() -> disconnected.complete(null), this::close));
        dispatcher.serve(context);
        this.reader = new StrictMessageProducer(new FrameReader(in), IncomingMessages::toMessage, this::unreadableInput);
    }

    /** Starts serving a client on its own thread. */
    static DapConnection start(InputStream in, OutputStream out, TargetFactory targets, DapOptions options) {
        DapConnection connection = new DapConnection(in, out, targets, options);
        Thread.ofPlatform().daemon().name("sonde-dap-" + connection.id).start(connection::serve);
        return connection;
    }

    /** Completes when the client has gone (or the connection was closed) and the connection's session has ended. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /**
     * Completes once the response to a disconnect request is out: the session is over, and an adapter on stdio
     * may exit. On a socket the client closes the connection when it is done.
     */
    public CompletableFuture<Void> disconnected() {
        return disconnected;
    }

    /** Stops serving; the session ends as if the client had gone. */
    public void close() {
        closeStreams();
    }

    private void serve() {
        try {
            reader.listen(endpoint);
        } catch (RuntimeException streamFailed) {
            LOG.log(System.Logger.Level.DEBUG, "DAP connection " + id + " failed", streamFailed);
        } finally {
            context.debuggee().ifPresent(debuggee -> debuggee.session().close());
            closeStreams();
            ended.complete(null);
        }
    }

    /** Input that cannot be read as DAP messages: say so on standard error, and end the connection (the client sees it end). */
    private void unreadableInput(BrokenFramingException broken) {
        System.err.println("sonde dap: closing connection " + id + ": " + broken.getMessage());
    }

    private void send(MessageConsumer toClient, Message message) {
        toClient.consume(message);
        if (message instanceof ResponseMessage response) {
            context.responseSent(response instanceof DebugResponseMessage debug ? debug.getMethod() : null);
        }
    }

    private void closeStreams() {
        reader.close();
        closeQuietly(in);
        closeQuietly(out);
    }

    private static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // already closed or broken: either way, done with it
        }
    }
}
