package dev.sonde.cli.dap;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * DAP framing over a pair of streams, strict on what it reads: anything on the adapter's output that is not a
 * framed message fails the test (on stdio, the protocol must have standard output to itself).
 */
final class DapStream {

    private final InputStream in;
    private final OutputStream out;
    private int seq;

    DapStream(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** Sends a request and returns its sequence number. */
    int request(String command, String argumentsJson) {
        int number = ++seq;
        String body = "{\"seq\":" + number + ",\"type\":\"request\",\"command\":\"" + command + "\""
                + (argumentsJson == null ? "" : ",\"arguments\":" + argumentsJson) + "}";
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        try {
            out.write(("Content-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return number;
    }

    /** Reads messages until one matches; fails on anything that is not DAP. */
    JsonObject until(Predicate<JsonObject> wanted) {
        while (true) {
            JsonObject message = next();
            if (wanted.test(message)) {
                return message;
            }
        }
    }

    JsonObject response(int requestSeq) {
        return until(m -> m.get("type").getAsString().equals("response") && m.get("request_seq").getAsInt() == requestSeq);
    }

    static Predicate<JsonObject> event(String name) {
        return m -> m.get("type").getAsString().equals("event") && m.get("event").getAsString().equals(name);
    }

    private JsonObject next() {
        try {
            String header = line();
            if (!header.startsWith("Content-Length: ")) {
                throw new AssertionError("not a DAP header on the adapter's output: '" + header + "'");
            }
            int length = Integer.parseInt(header.substring("Content-Length: ".length()));
            String blank = line();
            if (!blank.isEmpty()) {
                throw new AssertionError("a DAP header block must end with an empty line, got '" + blank + "'");
            }
            return JsonParser.parseString(new String(in.readNBytes(length), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new AssertionError("the adapter's output ended");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
