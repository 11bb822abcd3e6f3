package dev.sonde.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.StandardProtocolFamily;
import java.net.URL;
import java.net.URLConnection;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.jar.JarEntry;

/**
 * A connection to the Sonde agent in a local JVM: loads the agent through the Attach API when it is not there yet
 * (a second load is a no-op, so this reconnects), then talks JSON lines over the agent's private Unix socket.
 */
public final class AgentClient implements AutoCloseable {

    /** Why the agent could not be reached, as one sentence. */
    public static final class AgentUnavailable extends RuntimeException {
        public AgentUnavailable(String sentence, Throwable cause) {
            super(sentence, cause);
        }
    }

    /** The agent's directory is named by this system property of the target JVM (see SondeAgent). */
    public static final String DIRECTORY_PROPERTY = "sonde.agent.dir";
    private static final String EMBEDDED_JAR = "sonde-agent.jar";
    /** The agent argument naming the directory the agent makes for its socket (SondeAgent reads it). */
    private static final String DIR_OPTION = "dir=";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final OutputStream out;
    private final BufferedReader in;
    private final Path directory;
    private final boolean loadedNow;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private volatile Consumer<JsonNode> events = event -> { };

    private AgentClient(SocketChannel channel, Path directory, boolean loadedNow) {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.directory = directory;
        this.loadedNow = loadedNow;
    }

    /** Loads the agent into {@code pid} if needed and connects; probe output goes to {@link #onEvent}. */
    public static AgentClient connect(long pid) {
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new AgentUnavailable("No process has pid " + pid + "; `sonde ps` lists the JVMs you can probe.", null);
        }
        boolean[] loaded = new boolean[1];
        Path directory = load(pid, loaded);
        try {
            String token = Files.readString(directory.resolve("token")).strip();
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(directory.resolve("agent.sock")));
            AgentClient client = new AgentClient(channel, directory, loaded[0]);
            client.send(JSON.createObjectNode().put("op", "hello").put("token", token));
            String hello = client.in.readLine();
            JsonNode answer = hello == null ? null : JSON.readTree(hello);
            if (answer == null || !answer.path("ok").asBoolean()) {
                channel.close();
                throw new AgentUnavailable(answer == null ? "The agent in " + pid + " closed the connection; run `sonde probe` again."
                        : answer.path("error").asText(), null);
            }
            Thread reader = new Thread(client::readLoop, "sonde-agent-reader-" + pid);
            reader.setDaemon(true);
            reader.start();
            return client;
        } catch (AccessDeniedException e) {
            throw new AgentUnavailable("The agent's directory " + directory + " belongs to another user; probe JVMs you run.", e);
        } catch (IOException e) {
            throw new AgentUnavailable("Cannot connect to the agent in " + pid + " (" + e.getMessage() + "); run `sonde probe` again.", e);
        }
    }

    private static Path load(long pid, boolean[] loadedNow) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new AgentUnavailable("Cannot attach to process " + pid + " (" + e.getMessage() + "); it must be a JVM 17+ run by"
                    + " your user (`sonde ps` lists them).", e);
        }
        try {
            String directory = vm.getSystemProperties().getProperty(DIRECTORY_PROPERTY);
            if (directory == null) {
                // the agent makes the directory named here, so no second round trip asks the JVM where it is
                Path requested = Path.of(System.getProperty("java.io.tmpdir"),
                        "sonde-agent-" + pid + "-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()));
                vm.loadAgent(agentJar().toString(), DIR_OPTION + requested);
                loadedNow[0] = true;
                directory = ownPrivateDirectory(requested) ? requested.toString() : vm.getSystemProperties().getProperty(DIRECTORY_PROPERTY);
            }
            if (directory == null) {
                throw new AgentUnavailable("The agent loaded into " + pid + " but did not start; its standard error says why.", null);
            }
            return Path.of(directory);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new AgentUnavailable("The JVM " + pid + " refused the agent (" + e.getMessage() + "); start it with"
                    + " -XX:+EnableDynamicAgentLoading, or with -javaagent:" + agentJar() + ".", e);
        } catch (IOException e) {
            throw new AgentUnavailable("The JVM " + pid + " stopped answering while the agent loaded (" + e.getMessage() + ").", e);
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the attach connection is gone already
            }
        }
    }

    /** Whether {@code directory} is a directory (not a link) of this user's that no one else may use: the agent's. */
    private static boolean ownPrivateDirectory(Path directory) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isDirectory() && attributes.owner().getName().equals(System.getProperty("user.name"))
                    && attributes.permissions().equals(PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * The agent jar: embedded in sonde.jar and written once per content to a private directory, or -Dsonde.agent.jar.
     * Inside a jar the embedded entry's CRC and size name the copy, so a run that finds it reads nothing more.
     */
    public static Path agentJar() {
        String configured = System.getProperty("sonde.agent.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        URL embedded = AgentClient.class.getResource(EMBEDDED_JAR);
        if (embedded == null) {
            throw new AgentUnavailable("This build of sonde has no agent jar inside; rebuild with `mvn -pl sonde-cli -am package`.", null);
        }
        try {
            Path home = Path.of(System.getProperty("java.io.tmpdir"), "sonde-" + System.getProperty("user.name"));
            if (!Files.isDirectory(home)) {
                Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!ownPrivateDirectory(home)) {
                // the JVM runs the code found here: a directory someone else may write to is no place for it
                throw new AgentUnavailable(home + " is not a directory only you can use (owned by you, mode 0700); remove it,"
                        + " or set TMPDIR to another directory.", null);
            }
            URLConnection connection = embedded.openConnection();
            if (connection instanceof JarURLConnection jarConnection && jarConnection.getJarEntry().getCrc() != -1) {
                JarEntry entry = jarConnection.getJarEntry();
                Path jar = home.resolve("sonde-agent-" + HexFormat.of().toHexDigits((int) entry.getCrc()) + "-" + entry.getSize() + ".jar");
                if (Files.exists(jar) && Files.size(jar) == entry.getSize()) {
                    return jar;
                }
                try (InputStream in = connection.getInputStream()) {
                    return writeOnce(home, jar, in.readAllBytes());
                }
            }
            byte[] bytes;
            try (InputStream in = connection.getInputStream()) {
                bytes = in.readAllBytes();
            }
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
            return writeOnce(home, home.resolve("sonde-agent-" + digest + ".jar"), bytes);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new AgentUnavailable("Cannot write the agent jar to a temporary file (" + e.getMessage() + "); set TMPDIR to a writable directory.", e);
        }
    }

    private static Path writeOnce(Path home, Path jar, byte[] bytes) throws IOException {
        if (!Files.exists(jar) || Files.size(jar) != bytes.length) {
            Path partial = Files.createTempFile(home, "sonde-agent", ".part");
            Files.write(partial, bytes);
            Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return jar;
    }

    /** Whether this connection loaded the agent, rather than finding it already running. */
    public boolean loadedNow() {
        return loadedNow;
    }

    public Path directory() {
        return directory;
    }

    public void onEvent(Consumer<JsonNode> listener) {
        this.events = listener;
    }

    /** Sends {@code request} (an object with "op") and waits for its answer: {"ok":true,...} or {"ok":false,"error":...}. */
    public JsonNode request(ObjectNode request) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            send(request.put("id", id));
            return answer.get(30, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException e) {
            throw new AgentUnavailable("The connection to the agent broke (" + e.getMessage() + "); run `sonde probe` again.", e);
        } catch (TimeoutException e) {
            throw new AgentUnavailable("The agent did not answer within 30s; the JVM may be stopped or overloaded.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentUnavailable("Interrupted while waiting for the agent.", e);
        } finally {
            pending.remove(id);
        }
    }

    public static ObjectNode op(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    private synchronized void send(ObjectNode request) throws IOException {
        out.write((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void readLoop() {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode node = JSON.readTree(line);
                if (node.has("reply")) {
                    CompletableFuture<JsonNode> answer = pending.get(node.path("reply").asLong());
                    if (answer != null) {
                        answer.complete(node);
                    }
                } else {
                    events.accept(node);
                }
            }
        } catch (IOException e) {
            // closed
        }
        pending.values().forEach(answer -> answer.completeExceptionally(new IOException("the agent closed the connection")));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
