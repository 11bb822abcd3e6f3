package dev.sonde.agent.channel;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The agent's only way in: a Unix domain socket in the agent's 0700 directory. A client proves it may talk by
 * sending the token from the 0600 file next to the socket, and must run as the JVM's user. Requests and answers
 * are JSON lines; events go to every client, through a bounded queue so a slow client never blocks the app.
 */
public final class AgentServer {

    public static final String SOCKET = "agent.sock";
    public static final String TOKEN = "token";

    private final ServerSocketChannel server;
    private final byte[] token;
    private final String owner;
    private final Function<Map<String, Object>, Json.Obj> handler;
    private final Set<Client> clients = new CopyOnWriteArraySet<>();
    private final AtomicLong undelivered = new AtomicLong();

    private AgentServer(ServerSocketChannel server, byte[] token, String owner, Function<Map<String, Object>, Json.Obj> handler) {
        this.server = server;
        this.token = token;
        this.owner = owner;
        this.handler = handler;
    }

    /** Listens in {@code directory} and answers each request with {@code handler}. */
    public static AgentServer start(Path directory, Function<Map<String, Object>, Json.Obj> handler) throws IOException {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        Path tokenFile = Files.createFile(directory.resolve(TOKEN),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tokenFile, token);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(directory.resolve(SOCKET)));
        AgentServer server = new AgentServer(channel, token.getBytes(StandardCharsets.US_ASCII),
                Files.getOwner(directory).getName(), handler);
        daemon("sonde-agent-accept", server::acceptLoop);
        return server;
    }

    /** Sends one event to every connected client; dropped (and counted) for a client that does not keep up. */
    public void broadcast(Json.Obj event) {
        String line = event.toString();
        for (Client client : clients) {
            if (!client.outbox.offer(line)) {
                undelivered.incrementAndGet();
            }
        }
    }

    public int clients() {
        return clients.size();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                daemon("sonde-agent-client", () -> serve(channel));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel channel) {
        Client client = null;
        try (channel) {
            OutputStream out = Channels.newOutputStream(channel);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!peer.user().getName().equals(owner)) {
                write(out, refusal("This JVM runs as " + owner + "; only that user may probe it."));
                return;
            }
            String hello = in.readLine();
            if (hello == null || !authentic(hello)) {
                write(out, refusal("The token is missing or wrong; read it from the token file in the agent's directory."));
                return;
            }
            client = new Client(out);
            client.writer = daemon("sonde-agent-writer", client::drain);
            // the welcome goes first, before any probe output reaches this client
            client.send(new Json.Obj().put("ok", true).put("pid", ProcessHandle.current().pid()).toString());
            clients.add(client);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                client.send(answer(line).toString());
                if (line.contains("\"detach\"") || line.contains("\"quit\"")) {
                    client.flushAndClose();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away; its probes stay until removed or detached
        } finally {
            if (client != null) {
                clients.remove(client);
                client.closed = true;
            }
        }
    }

    private Json.Obj answer(String line) {
        Map<String, Object> request;
        try {
            request = Json.parseFlat(line);
        } catch (IllegalArgumentException e) {
            return refusal("The request is not a JSON object (" + e.getMessage() + "); send one object per line.");
        }
        Json.Obj answer;
        try {
            answer = handler.apply(request);
        } catch (RuntimeException e) {
            answer = refusal("The agent failed: " + e + ".");
        }
        return answer.put("reply", request.get("id"));
    }

    private boolean authentic(String hello) {
        try {
            Object given = Json.parseFlat(hello).get("token");
            return given instanceof String s && MessageDigest.isEqual(s.getBytes(StandardCharsets.US_ASCII), token);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Json.Obj refusal(String sentence) {
        return new Json.Obj().put("ok", false).put("error", sentence);
    }

    private static void write(OutputStream out, Json.Obj line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** One connected client: answers and events leave through its writer thread, in order. */
    private static final class Client {
        private final OutputStream out;
        private static final int BATCH = 1024;
        private static final int BUSY = 64;
        private static final long GATHER_NANOS = 1_000_000;
        private final BlockingQueue<String> outbox = new ArrayBlockingQueue<>(10_000);
        private volatile boolean closed;
        private volatile boolean closing;
        private Thread writer;

        Client(OutputStream out) {
            this.out = out;
        }

        void send(String line) throws IOException {
            try {
                outbox.put(line);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        void flushAndClose() {
            closing = true;
            try {
                writer.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Writes the lines in batches: one write (and flush) per drained batch, not one per line. */
        void drain() {
            List<String> batch = new ArrayList<>(BATCH);
            OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
            try {
                while (!closed) {
                    String first = outbox.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closing) {
                            buffered.flush();
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                    outbox.drainTo(batch, BATCH - 1);
                    for (String line : batch) {
                        buffered.write(line.getBytes(StandardCharsets.UTF_8));
                        buffered.write('\n');
                    }
                    buffered.flush();
                    int written = batch.size();
                    batch.clear();
                    if (written >= BUSY) {
                        // a busy stream: let lines gather for a moment, so the app's threads seldom wake this one
                        LockSupport.parkNanos(GATHER_NANOS);
                    }
                }
            } catch (IOException | InterruptedException e) {
                closed = true;
            }
        }
    }
}
