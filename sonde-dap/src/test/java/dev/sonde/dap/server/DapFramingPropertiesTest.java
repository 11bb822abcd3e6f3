package dev.sonde.dap.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * DAP framing on a real socket, fed what no client should send: whatever comes in ends in a message, an error
 * response or a closed connection, never in silence. Sizes stay under the adapter's body limits, which are tested
 * where they are set.
 */
class DapFramingPropertiesTest {

    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int PROBE_SEQ = 1_000_000;
    private static final String PROBE = "{\"seq\":" + PROBE_SEQ + ",\"type\":\"request\",\"command\":\"threads\"}";

    private static DapListener listener;

    @BeforeContainer
    static void listen() {
        listener = DapListener.open(InetAddress.getLoopbackAddress(), 0, new DapServer(new TestTargets(), DapOptions.DEFAULT));
    }

    @AfterContainer
    static void stop() {
        listener.close();
    }

    /** Any bytes, then the end of the input: the adapter closes its side, having written only well-framed messages. */
    @Property(tries = 300)
    void anyBytesThenTheEndOfInputCloseTheConnection(@ForAll("streams") byte[] bytes) throws IOException {
        try (Connection connection = new Connection()) {
            connection.write(bytes);
            connection.socket.shutdownOutput();
            Received received;
            do {
                received = connection.receive();
            } while (received instanceof Received.Message);
            assertThat(received).as("after %d bytes and the end of input", bytes.length).isEqualTo(Received.CLOSED);
        }
    }

    /**
     * A body of any bytes, correctly framed, then a well-formed request: the request is answered (or the connection
     * closed); the bad body never leaves the connection silently dead.
     */
    @Property(tries = 300)
    void aFramedBodyOfAnyBytesLeavesTheAdapterAnswering(@ForAll("bodies") byte[] body) throws IOException {
        try (Connection connection = new Connection()) {
            connection.frame(body);
            connection.frame(PROBE.getBytes(StandardCharsets.UTF_8));
            while (true) {
                Received received = connection.receive();
                if (received instanceof Received.Message(JsonObject message)) {
                    if (isResponseTo(message, PROBE_SEQ)) {
                        return;
                    }
                } else {
                    assertThat(received).as("after a body of %d bytes", body.length).isEqualTo(Received.CLOSED);
                    return;
                }
            }
        }
    }

    /**
     * Framing that cannot be recovered, with the client still connected: the adapter answers or closes, it does not
     * wait for ever (before strict framing, five stray bytes before a well-framed request, {@code [25, 57, 11, 2, 12]},
     * left the adapter silent and the request unanswered).
     */
    @Property(tries = 200)
    void unrecoverableFramingWithTheClientStillThereEndsInAnAnswerOrAClose(@ForAll("streams") byte[] bytes) throws IOException {
        try (Connection connection = new Connection()) {
            connection.write(bytes);
            connection.frame(PROBE.getBytes(StandardCharsets.UTF_8));
            while (true) {
                Received received = connection.receive();
                if (!(received instanceof Received.Message(JsonObject message)) || isResponseTo(message, PROBE_SEQ)) {
                    return;
                }
            }
        }
    }

    @Provide
    Arbitrary<byte[]> streams() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
        // Streams that start like DAP and go wrong: headers cut short, lengths that are no number or too large.
        Arbitrary<byte[]> headers = Arbitraries.of("Content-Length: ", "Content-Length: 5\r\n", "Content-Length: -1\r\n\r\n",
                        "Content-Length: 99999999\r\n\r\n{", "Content-Length: x\r\n\r\n{}", "Content-Type: a\r\n\r\n",
                        "Content-Length: 2\r\n\r\n{}", "Content-Length: 40\r\n\r\n" + PROBE, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                .flatMap(prefix -> noise.map(tail -> concat(prefix.getBytes(StandardCharsets.US_ASCII), tail)));
        return Arbitraries.oneOf(noise, headers);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
        // Valid requests cut short anywhere: JSON that ends too early.
        List<String> requests = List.of(PROBE, "{\"seq\":1,\"type\":\"request\",\"command\":\"initialize\",\"arguments\":{\"adapterID\":\"x\"}}",
                "{\"seq\":2,\"type\":\"request\",\"command\":\"setBreakpoints\",\"arguments\":{\"source\":{\"path\":\"A.java\"},\"breakpoints\":[{\"line\":3}]}}");
        Arbitrary<byte[]> truncated = Arbitraries.of(requests).flatMap(request -> Arbitraries.integers().between(0, request.length() - 1)
                .map(cut -> request.substring(0, cut).getBytes(StandardCharsets.UTF_8)));
        Arbitrary<byte[]> text = Arbitraries.strings().ofMaxLength(512).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(noise, truncated, text);
    }

    private static boolean isResponseTo(JsonObject message, int seq) {
        return message.has("type") && "response".equals(message.get("type").getAsString())
                && message.has("request_seq") && message.get("request_seq").getAsInt() == seq;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** What the adapter did next. */
    sealed interface Received {
        Received CLOSED = new Closed();

        record Message(JsonObject json) implements Received {
        }

        record Closed() implements Received {
        }
    }

    /** One client connection that reads what the adapter writes, strictly, and fails on a silence longer than the bound. */
    private static final class Connection implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection() throws IOException {
            socket = new Socket(listener.address().getAddress(), listener.address().getPort());
            socket.setSoTimeout((int) BOUND.toMillis());
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void write(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException closedByTheAdapter) {
                // the adapter may close as soon as it has seen enough; what it did is read next
            }
        }

        void frame(byte[] body) {
            write(concat(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body));
        }

        /** The next message, or CLOSED; every message must carry a Content-Length header and a JSON object with a type. */
        Received receive() {
            try {
                int length = -1;
                for (String header = line(); !header.isEmpty(); header = line()) {
                    if (header.equals(END)) {
                        return Received.CLOSED;
                    }
                    assertThat(header).as("a header the adapter wrote").matches("[A-Za-z-]+: .*");
                    if (header.startsWith("Content-Length: ")) {
                        length = Integer.parseInt(header.substring("Content-Length: ".length()));
                    }
                }
                assertThat(length).as("the Content-Length the adapter wrote").isNotNegative();
                byte[] content = in.readNBytes(length);
                assertThat(content).as("a whole body").hasSize(length);
                JsonObject message = JsonParser.parseString(new String(content, StandardCharsets.UTF_8)).getAsJsonObject();
                assertThat(message.has("type")).as("a type in %s", message).isTrue();
                return new Received.Message(message);
            } catch (SocketTimeoutException silence) {
                return fail("the adapter neither wrote nor closed for " + BOUND);
            } catch (IOException reset) {
                return Received.CLOSED;
            }
        }

        /** What {@link #line()} returns at the end of the stream: not a line the adapter could write, as it has no colon. */
        private static final String END = "end of stream";

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    return END;
                }
                if (c != '\r') {
                    line.write(c);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
