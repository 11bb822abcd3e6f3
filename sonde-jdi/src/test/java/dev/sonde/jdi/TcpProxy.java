package dev.sonde.jdi;

import dev.sonde.core.launch.HostPort;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP relay in front of a debug port, whose connections can be cut to simulate a network failure. */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final HostPort target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    TcpProxy(HostPort target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("test-proxy-accept").start(this::accept);
    }

    HostPort address() {
        return new HostPort("127.0.0.1", server.getLocalPort());
    }

    private void accept() {
        try {
            while (true) {
                Socket client = server.accept();
                Socket upstream = new Socket(target.host(), target.port());
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            }
        } catch (IOException closed) {
            // the proxy is closed
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("test-proxy-pump").start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException cut) {
                // one side is gone
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    /** Drops every relayed connection at once, as a failing network would. */
    void cut() {
        sockets.forEach(TcpProxy::closeQuietly);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
