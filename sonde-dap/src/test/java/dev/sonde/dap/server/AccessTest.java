package dev.sonde.dap.server;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.sonde.dap.server.access.TcpPeers;
import dev.sonde.fixtures.Counter;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.sonde.dap.server.DapClient.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Who may use the adapter: the token launch and attach carry, the user a TCP peer runs as, the Unix socket's permissions. */
class AccessTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @Test
    void launchAndAttachWithoutTheRightTokenAreRefusedAndStartNothing() {
        try (Adapter adapter = new Adapter(DapOptions.DEFAULT.withLaunchToken(TOKEN)); DapClient client = adapter.connect()) {
            client.initialize();
            assertThat(DapClient.error(client.server().launch(Fixtures.launch(Counter.class, "1000", "1")))).isEqualTo(
                    "This adapter takes a 'launch' only with the token sonde dap printed when it started; add \"sondeToken\":"
                            + " \"<that token>\" to the debug configuration.");
            assertThat(DapClient.error(client.server().launch(withToken(Fixtures.launch(Counter.class, "1000", "1"), "guess"))))
                    .isEqualTo("The 'sondeToken' of this 'launch' is not the token sonde dap printed when it started; copy that one"
                            + " into the debug configuration.");
            Map<String, Object> attach = withToken(new HashMap<>(Map.of("port", 9)), TOKEN.toUpperCase());
            assertThat(DapClient.error(client.server().attach(attach))).startsWith("The 'sondeToken' of this 'attach' is not the token");
            assertThat(Processes.running(Counter.class)).isEmpty();

            client.launch(withToken(Fixtures.launch(Counter.class, "1000", "1"), TOKEN));
            client.configurationDone();
            assertThat(Processes.running(Counter.class)).hasSize(1);
            get(client.server().disconnect(new DisconnectArguments()));
        }
        Processes.awaitNone(Counter.class);
    }

    @Test
    void theOwnerOfALoopbackPeerIsFoundInProcNet() throws IOException {
        assumeTrue(TcpPeers.ownUid().isPresent(), "Linux only");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteSocketAddress();
            InetSocketAddress local = (InetSocketAddress) accepted.getLocalSocketAddress();
            assertThat(TcpPeers.uidOf(peer, local)).hasValue(TcpPeers.ownUid().getAsInt());
            assertThat(TcpPeers.refusal(peer, local)).isEmpty();
            assertThat(TcpPeers.refusal(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), local)).isPresent();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aConnectionFromAnotherUserIsClosedUnread() throws Exception {
        assumeOtherUserAvailable();
        try (Adapter adapter = new Adapter(DapOptions.DEFAULT.withLaunchToken(TOKEN))) {
            InetSocketAddress address = adapter.listener().address();
            String launch = request(1, "launch", withToken(Fixtures.launch(Counter.class, "1000", "1"), TOKEN));
            String read = asNobody("""
                    import socket, sys
                    s = socket.create_connection(("127.0.0.1", %d))
                    s.settimeout(30)
                    body = sys.argv[1].encode()
                    s.sendall(b"Content-Length: %%d\\r\\n\\r\\n" %% len(body) + body)
                    got = b""
                    while True:
                        chunk = s.recv(65536)
                        if not chunk:
                            break
                        got += chunk
                    print(len(got))
                    """.formatted(address.getPort()), launch);
            assertThat(read).isEqualTo("0");
            assertThat(Processes.running(Counter.class)).isEmpty();
            // The adapter's own user is served as before.
            try (DapClient client = adapter.connect()) {
                assertThat(client.initialize().getSupportsConfigurationDoneRequest()).isTrue();
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aUnixSocketIsOnlyForItsUserAndServesASession(@TempDir Path directory) throws Exception {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path path = directory.resolve("dap.sock");
        DapListener listener = DapListener.openUnix(path, new DapServer(new TestTargets(), DapOptions.DEFAULT));
        try {
            assertThat(listener.socketPath()).hasValue(path.toAbsolutePath());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
            assertThat(Files.list(directory).map(p -> p.getFileName().toString()).toList()).containsExactly("dap.sock");
            try (RawDap raw = new RawDap(path)) {
                raw.send(request(1, "initialize", Map.of("adapterID", "sonde")));
                assertThat(raw.response().get("success").getAsBoolean()).isTrue();
                raw.send(request(2, "launch", Fixtures.launch(Counter.class, "1000", "1")));
                assertThat(raw.response().get("success").getAsBoolean()).isTrue();
                raw.send(request(3, "configurationDone", null));
                raw.event("output");
                raw.send(request(4, "disconnect", null));
                assertThat(raw.response().get("success").getAsBoolean()).isTrue();
            }
            Processes.awaitNone(Counter.class);
            if (otherUserAvailable()) {
                assertThat(asNobody("""
                        import socket, sys
                        s = socket.socket(socket.AF_UNIX)
                        try:
                            s.connect(sys.argv[1])
                            print("connected")
                        except PermissionError:
                            print("denied")
                        """, path.toString())).isEqualTo("denied");
            }
            assertThatThrownBy(() -> DapListener.openUnix(path, new DapServer(new TestTargets(), DapOptions.DEFAULT)))
                    .hasMessage("Another adapter listens on " + path.toAbsolutePath() + "; stop it or choose another --socket path.");
        } finally {
            listener.close();
        }
        assertThat(path).doesNotExist();
        Files.writeString(path, "not a socket");
        assertThatThrownBy(() -> DapListener.openUnix(path, new DapServer(new TestTargets(), DapOptions.DEFAULT)))
                .hasMessage(path.toAbsolutePath() + " exists and is not a socket; choose another --socket path.");
    }

    private static Map<String, Object> withToken(Map<String, Object> arguments, String token) {
        Map<String, Object> with = new HashMap<>(arguments);
        with.put("sondeToken", token);
        return with;
    }

    private static String request(int seq, String command, Object arguments) {
        JsonObject request = new JsonObject();
        request.addProperty("seq", seq);
        request.addProperty("type", "request");
        request.addProperty("command", command);
        if (arguments != null) {
            request.add("arguments", new Gson().toJsonTree(arguments));
        }
        return request.toString();
    }

    private static boolean otherUserAvailable() {
        return TcpPeers.ownUid().orElse(-1) == 0 && Files.isExecutable(PYTHON) && Files.isExecutable(SETPRIV);
    }

    private static void assumeOtherUserAvailable() {
        assumeTrue(otherUserAvailable(), "needs root, setpriv and /usr/bin/python3 to connect as another user");
    }

    /** Runs a Python script as user nobody and returns what it printed. */
    private static String asNobody(String script, String argument) throws Exception {
        Process python = new ProcessBuilder(List.of(SETPRIV.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                PYTHON.toString(), "-c", script, argument)).redirectErrorStream(true).start();
        assertThat(python.waitFor(40, TimeUnit.SECONDS)).as("the other user's client ends").isTrue();
        return new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
