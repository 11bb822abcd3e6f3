package dev.sonde.dap.server;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.dap.server.access.PrivateSocketFile;
import dev.sonde.dap.server.access.TcpPeers;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Accepts DAP clients on a TCP port or a Unix domain socket: one client per connection, any number of connections at
 * once, each its own session. Only the user running the adapter gets in: on a TCP port a connection from another user
 * of the machine is closed unread (Linux), and a Unix socket is a file only that user can open.
 */
public final class DapListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DapListener.class.getName());

    /** A connection just accepted, and why it is refused, if it is. */
    private record Client(String from, InputStream in, OutputStream out, Closeable connection, Optional<String> refusal) {
    }

    /** Where clients come from: a TCP port or a Unix socket. */
    private interface Acceptor extends Closeable {
        /** The next client; throws once closed. */
        Client accept() throws IOException;

        boolean isOpen();

        String where();
    }

    private final Acceptor acceptor;
    private final DapServer server;
    private final InetSocketAddress tcpAddress;
    private final Path socketPath;
    private final Set<DapConnection> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private DapListener(Acceptor acceptor, DapServer server, InetSocketAddress tcpAddress, Path socketPath) {
        this.acceptor = acceptor;
        this.server = server;
        this.tcpAddress = tcpAddress;
        this.socketPath = socketPath;
        Thread.ofPlatform().daemon().name("sonde-dap-listener-" + acceptor.where()).start(this::accept);
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
        return new DapListener(new TcpAcceptor(socket), server, (InetSocketAddress) socket.getLocalSocketAddress(), null);
    }

    /** Listens on a Unix domain socket at {@code path}, a file only this user can open (0600); it is removed on close. */
    public static DapListener openUnix(Path path, DapServer server) {
        ServerSocketChannel channel = PrivateSocketFile.bind(path);
        Path bound = path.toAbsolutePath().normalize();
        UserPrincipal owner;
        try {
            owner = PrivateSocketFile.owner(bound);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SondeException(ErrorKind.CONNECTION, "Cannot read the owner of the socket " + bound + " (" + e.getMessage() + ").", e);
        }
        return new DapListener(new UnixAcceptor(channel, bound, owner), server, null, bound);
    }

    /** The TCP address listened on; fails for a Unix socket listener. */
    public InetSocketAddress address() {
        if (tcpAddress == null) {
            throw new IllegalStateException("this listener is on the Unix socket " + socketPath);
        }
        return tcpAddress;
    }

    /** The Unix socket listened on, if that is what this listener is on. */
    public Optional<Path> socketPath() {
        return Optional.ofNullable(socketPath);
    }

    /** Completes when the listener is closed. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    private void accept() {
        while (acceptor.isOpen()) {
            Client client;
            try {
                client = acceptor.accept();
            } catch (IOException e) {
                if (acceptor.isOpen()) {
                    LOG.log(System.Logger.Level.WARNING, "accepting a DAP client failed", e);
                }
                continue;
            }
            if (client.refusal().isPresent()) {
                System.err.println("sonde dap: refused a connection from " + client.from() + ": " + client.refusal().get() + ".");
                closeQuietly(client.connection());
                continue;
            }
            DapConnection connection = server.serve(client.in(), client.out());
            connections.add(connection);
            connection.ended().whenComplete((done, failure) -> {
                connections.remove(connection);
                closeQuietly(client.connection());
            });
        }
    }

    /** Stops accepting and ends every connection (and so its session), waiting up to 30 s for them. */
    @Override
    public void close() {
        closeQuietly(acceptor);
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

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private record TcpAcceptor(ServerSocket socket) implements Acceptor {
        @Override
        public Client accept() throws IOException {
            Socket client = socket.accept();
            InetSocketAddress peer = (InetSocketAddress) client.getRemoteSocketAddress();
            try {
                // Every DAP message is a small write that the other side waits for.
                client.setTcpNoDelay(true);
                return new Client(peer.getAddress().getHostAddress() + ":" + peer.getPort(), new BufferedInputStream(client.getInputStream()),
                        new BufferedOutputStream(client.getOutputStream()), client,
                        TcpPeers.refusal(peer, (InetSocketAddress) client.getLocalSocketAddress()));
            } catch (IOException e) {
                closeQuietly(client);
                throw e;
            }
        }

        @Override
        public boolean isOpen() {
            return !socket.isClosed();
        }

        @Override
        public String where() {
            return String.valueOf(socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private record UnixAcceptor(ServerSocketChannel channel, Path path, UserPrincipal owner) implements Acceptor {
        @Override
        public Client accept() throws IOException {
            SocketChannel client = channel.accept();
            try {
                UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
                Optional<String> refusal = peer.user().equals(owner) ? Optional.empty()
                        : Optional.of("it comes from user " + peer.user().getName() + ", and only " + owner.getName() + " may connect");
                return new Client("user " + peer.user().getName(), new BufferedInputStream(Channels.newInputStream(client)),
                        new BufferedOutputStream(Channels.newOutputStream(client)), client, refusal);
            } catch (IOException | UnsupportedOperationException e) {
                closeQuietly(client);
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public String where() {
            return path.getFileName().toString();
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(path);
            }
        }
    }
}
