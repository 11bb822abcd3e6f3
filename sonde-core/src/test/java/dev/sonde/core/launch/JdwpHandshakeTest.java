package dev.sonde.core.launch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The handshake probe against small peers of each kind (the real agent is covered by the JDI tests). */
class JdwpHandshakeTest {

    /** Serves each connection with {@code reply}, which gets the 14 bytes read from the client. */
    private static ServerSocket peer(Function<byte[], byte[]> reply) throws IOException {
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    try (Socket client = server.accept(); InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                        byte[] hello = in.readNBytes(14);
                        byte[] answer = reply.apply(hello);
                        if (answer == null) {
                            in.read(); // say nothing until the client gives up
                        } else {
                            out.write(answer);
                        }
                    }
                }
            } catch (IOException closed) {
                // done
            }
        });
        return server;
    }

    private static HostPort at(ServerSocket server) {
        return new HostPort("127.0.0.1", server.getLocalPort());
    }

    @Test
    void anAgentAnswersInKind() throws Exception {
        try (ServerSocket agent = peer(hello -> hello)) {
            assertThat(JdwpHandshake.probe(at(agent), Duration.ofSeconds(5))).isEqualTo(JdwpHandshake.Result.ANSWERED);
        }
    }

    @Test
    void somethingElseIsNotJdwp() throws Exception {
        try (ServerSocket web = peer(hello -> "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
             ServerSocket rude = peer(hello -> new byte[0]);
             ServerSocket silent = peer(hello -> null)) {
            assertThat(JdwpHandshake.probe(at(web), Duration.ofSeconds(5))).isEqualTo(JdwpHandshake.Result.NOT_JDWP);
            assertThat(JdwpHandshake.probe(at(rude), Duration.ofSeconds(5))).isEqualTo(JdwpHandshake.Result.NOT_JDWP);
            assertThat(JdwpHandshake.probe(at(silent), Duration.ofMillis(300))).isEqualTo(JdwpHandshake.Result.NOT_JDWP);
        }
    }

    @Test
    void nothingListeningIsRefused() {
        int port = BindPolicy.freeLoopbackPort();
        assertThat(JdwpHandshake.probe(new HostPort("127.0.0.1", port), Duration.ofSeconds(2))).isEqualTo(JdwpHandshake.Result.REFUSED);
    }
}
