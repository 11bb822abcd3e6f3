package dev.sonde.dap.framing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads DAP messages strictly: every message starts with a {@code Content-Length} header (anything else, such as an
 * HTTP request line, is refused at its first byte that differs), the length is a number up to {@link #MAX_BODY_BYTES},
 * and the body is one strict JSON object nested at most {@link #MAX_NESTING} deep. Anything else throws
 * {@link BrokenFramingException}, since after it there is no telling where the next message starts.
 */
public final class FrameReader {

    public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    public static final int MAX_NESTING = 64;
    private static final String CONTENT_LENGTH = "content-length:";
    private static final int MAX_HEADER_LINE = 1024;
    private static final int MAX_HEADER_LINES = 8;
    private static final TypeAdapter<JsonElement> JSON = new Gson().getAdapter(JsonElement.class);

    private final InputStream in;

    public FrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next message's body; empty when the input ends between messages.
     *
     * @throws BrokenFramingException when what comes is not a DAP message
     * @throws IOException            when the input fails
     */
    public Optional<JsonObject> next() throws IOException {
        int first = in.read();
        if (first < 0) {
            return Optional.empty();
        }
        int length = contentLength(first);
        skipOtherHeaders();
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new BrokenFramingException("The input ended inside a message (" + body.length + " of its " + length + " bytes came).");
        }
        return Optional.of(parse(body));
    }

    /** Reads {@code Content-Length: N} and its line end, refusing at the first byte that does not fit. */
    private int contentLength(int first) throws IOException {
        StringBuilder seen = new StringBuilder();
        int c = first;
        for (int i = 0; i < CONTENT_LENGTH.length(); i++) {
            if (i > 0) {
                c = in.read();
            }
            if (c < 0) {
                throw new BrokenFramingException("The input ended inside a message header ('" + seen + "').");
            }
            seen.append((char) c);
            if (Character.toLowerCase((char) c) != CONTENT_LENGTH.charAt(i)) {
                throw new BrokenFramingException("A message does not start with a Content-Length header but with '"
                        + printable(seen) + "'; this port speaks the Debug Adapter Protocol only.");
            }
        }
        String value = line().strip();
        if (!value.matches("\\d{1,9}")) {
            throw new BrokenFramingException("The Content-Length header's value '" + printable(value) + "' is not a number of bytes.");
        }
        int length = Integer.parseInt(value);
        if (length > MAX_BODY_BYTES) {
            throw new BrokenFramingException("A message of " + length + " bytes is over the limit of " + MAX_BODY_BYTES + " bytes.");
        }
        return length;
    }

    /** Headers after Content-Length (such as Content-Type) up to the empty line that ends them; their values do not matter. */
    private void skipOtherHeaders() throws IOException {
        for (int lines = 0; lines <= MAX_HEADER_LINES; lines++) {
            String header = line();
            if (header.isEmpty()) {
                return;
            }
            if (header.indexOf(':') < 1) {
                throw new BrokenFramingException("The header line '" + printable(header) + "' is not 'Name: value'.");
            }
        }
        throw new BrokenFramingException("A message has more than " + MAX_HEADER_LINES + " header lines.");
    }

    /** One header line without its CR LF (a bare LF is taken too). */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new BrokenFramingException("The input ended inside a message header.");
            }
            if (c == '\n') {
                return line.toString(StandardCharsets.US_ASCII);
            }
            if (c != '\r') {
                line.write(c);
            }
            if (line.size() > MAX_HEADER_LINE) {
                throw new BrokenFramingException("A message header line is longer than " + MAX_HEADER_LINE + " bytes.");
            }
        }
    }

    private static JsonObject parse(byte[] body) throws BrokenFramingException {
        JsonReader reader = new JsonReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        reader.setStrictness(Strictness.STRICT);
        reader.setNestingLimit(MAX_NESTING);
        try {
            JsonElement element = JSON.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new BrokenFramingException("A message body holds more than one JSON value.");
            }
            if (!element.isJsonObject()) {
                throw new BrokenFramingException("A message body is JSON but not an object ('" + printable(element.toString()) + "').");
            }
            return element.getAsJsonObject();
        } catch (BrokenFramingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() != null && e.getMessage().contains("Nesting limit")
                    ? "is nested deeper than " + MAX_NESTING + " levels" : "is not valid JSON";
            throw new BrokenFramingException("A message body " + why + " ('" + printable(new String(body, StandardCharsets.UTF_8)) + "').");
        }
    }

    /** At most 40 characters of what came, control characters escaped, for a log line. */
    static String printable(CharSequence text) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && shown.length() < 40; i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                shown.append("\\r");
            } else if (c == '\n') {
                shown.append("\\n");
            } else if (c < 0x20 || c == 0x7f) {
                shown.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                shown.append(c);
            }
        }
        return text.length() > 40 ? shown + "..." : shown.toString();
    }
}
