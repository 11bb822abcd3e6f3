package dev.sonde.dap.server;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Accepts DAP clients on a TCP port: one client per connection, any number of connections at once, each its own session. */
public final class DapListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DapListener.class.getName());

    private final ServerSocket socket;
    private final DapServer server;
    private final Set<DapConnection> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private DapListener(ServerSocket socket, DapServer server) {
        this.socket = socket;
        this.server = server;
    }

    /**
     * Listens on {@code address:port} (port 0 picks a free one). The caller checks the address against the bind
     * policy: whoever reaches this port can run code in every target it debugs.
     */
    public static DapListener open(InetAddress address, int port, DapServer server) {
        ServerSocket socket;
        try {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(address, port), 50);
        } catch (IOException e) {
            throw new SondeException(ErrorKind.CONNECTION, "Cannot listen on " + address.getHostAddress() + ":" + port + " ("
                    + e.getMessage() + "); choose another port, or 0 for a free one.", e);
        }
        DapListener listener = new DapListener(socket, server);
        Thread.ofPlatform().daemon().name("sonde-dap-listener-" + socket.getLocalPort()).start(listener::accept);
        return listener;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Completes when the listener is closed. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    private void accept() {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(System.Logger.Level.WARNING, "accepting a DAP client failed", e);
                }
                continue;
            }
            try {
                // Every DAP message is a small write that the other side waits for.
                client.setTcpNoDelay(true);
                DapConnection connection = server.serve(new BufferedInputStream(client.getInputStream()),
                        new BufferedOutputStream(client.getOutputStream()));
                connections.add(connection);
                connection.ended().whenComplete((done, failure) -> {
                    connections.remove(connection);
                    closeQuietly(client);
                });
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /** Stops accepting and ends every connection (and so its session), waiting up to 30 s for them. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        CompletableFuture<?>[] ending = connections.stream().map(connection -> {
            connection.close();
            return connection.ended();
        }).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(ending).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "DAP connections did not end in time", e);
        }
        closed.complete(null);
    }

    private static void closeQuietly(Socket client) {
        try {
            client.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
