package dev.sonde.dap.server;

import com.google.gson.JsonObject;
import dev.sonde.dap.framing.FrameReader;
import dev.sonde.fixtures.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strict framing: what is not a DAP message closes the connection at once (the client reads the end, never waits),
 * and a message that can be answered but is malformed gets an error response while the adapter serves on.
 */
class FramingTest {

    private static final String LAUNCH = "{\"seq\":1,\"type\":\"request\",\"command\":\"launch\",\"arguments\":{\"mainClass\":\""
            + Counter.class.getName() + "\",\"classPaths\":[\"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"]}}";

    private static DapListener listener;

    @BeforeAll
    static void listen() {
        listener = DapListener.open(InetAddress.getLoopbackAddress(), 0, new DapServer(new TestTargets(), DapOptions.DEFAULT));
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    @Test
    void anHttpPostWithALaunchBodyIsClosedWithoutAnswerAndStartsNoJvm() {
        try (RawDap raw = new RawDap(listener.address())) {
            raw.sendBytes("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + LAUNCH.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + LAUNCH);
            assertThat(raw.readToEnd()).isEmpty();
        }
        assertThat(Processes.running(Counter.class)).isEmpty();
    }

    @Test
    void unreadableFramingClosesTheConnection() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String[] broken = {
                "Content-Length: abc\r\n\r\n{}",
                "Content-Length: -5\r\n\r\n{}",
                "Content-Length: " + (FrameReader.MAX_BODY_BYTES + 1) + "\r\n\r\n",
                "Content-Length: 99999999999999\r\n\r\n{}",
                frame("this is not JSON at all"),
                frame("{\"seq\":9,\"type\":\"request\",\"command\":\"threads\",\"arguments\":{\"x\":[}}"),
                frame("{\"seq\":1,\"type\":\"request\",\"command\":\"evaluate\",\"arguments\":{\"expression\":" + deep + "}}"),
                frame("{\"seq\":\"one\",\"type\":\"request\",\"command\":\"threads\"}"),
                frame("{\"seq\":99999999999,\"type\":\"request\",\"command\":\"threads\"}"),
                frame("[1,2,3]"),
                "Content-Type: application/json\r\n\r\n{}",
                "Content-Length: 10\r\n" + "X".repeat(5000),
        };
        for (String bytes : broken) {
            try (RawDap raw = new RawDap(listener.address())) {
                raw.sendBytes(bytes);
                assertThat(raw.readToEnd()).as(bytes.length() > 80 ? bytes.substring(0, 80) : bytes).isEmpty();
            }
        }
    }

    @Test
    void brokenFramingAfterGoodMessagesClosesTooAndTheLaterSessionsServeOn() {
        try (RawDap raw = new RawDap(listener.address())) {
            raw.send("{\"seq\":1,\"type\":\"request\",\"command\":\"initialize\",\"arguments\":{\"adapterID\":\"sonde\"}}");
            assertThat(raw.response().get("success").getAsBoolean()).isTrue();
            raw.sendBytes("GET / HTTP/1.1\r\n\r\n");
            raw.readToEnd();
        }
        try (DapClient client = DapClient.connect(listener.address())) {
            assertThat(client.initialize().getSupportsConfigurationDoneRequest()).isTrue();
        }
    }

    @Test
    void answerableButMalformedMessagesGetErrorResponses() {
        try (RawDap raw = new RawDap(listener.address())) {
            raw.send("{\"seq\":1,\"command\":\"threads\"}");
            ProtocolTest.assertError(raw.response(), 1, "threads", "The message has no 'type'");

            raw.send("{\"seq\":2,\"type\":\"request\",\"command\":null}");
            JsonObject noCommand = raw.response();
            assertThat(noCommand.get("request_seq").getAsInt()).isEqualTo(2);
            assertThat(noCommand.get("success").getAsBoolean()).isFalse();
            assertThat(noCommand.get("message").getAsString()).isEqualTo("The request has no command; name one, as the Debug Adapter Protocol specifies.");

            raw.send("{\"seq\":3,\"type\":\"request\"}");
            assertThat(raw.response().get("request_seq").getAsInt()).isEqualTo(3);

            raw.send("{\"seq\":4,\"type\":\"shout\",\"command\":\"threads\"}");
            ProtocolTest.assertError(raw.response(), 4, "threads", "The message type 'shout' is not one the adapter takes");

            raw.send("{\"seq\":5,\"type\":\"event\",\"event\":\"hello\"}");
            String initialize = "{\"seq\":6,\"type\":\"request\",\"command\":\"initialize\",\"arguments\":{\"adapterID\":\"x\"}}";
            raw.sendBytes("Content-Length: " + initialize.length() + "\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
                    + initialize);
            JsonObject initialized = raw.response();
            assertThat(initialized.get("request_seq").getAsInt()).isEqualTo(6);
            assertThat(initialized.get("success").getAsBoolean()).isTrue();
        }
    }

    private static String frame(String body) {
        return "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }
}
