package dev.sonde.dap.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;

/** DAP framing by hand, for sending what no well-behaved client would: broken JSON, wrong types, unknown commands. */
final class RawDap implements AutoCloseable {

    private final Closeable socket;
    private final InputStream in;
    private final OutputStream out;

    RawDap(InetSocketAddress address) {
        try {
            Socket tcp = new Socket(address.getAddress(), address.getPort());
            tcp.setSoTimeout((int) DapClient.WAIT.toMillis());
            socket = tcp;
            in = tcp.getInputStream();
            out = tcp.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Over a Unix domain socket; reads have no time limit there, so tests using it set their own. */
    RawDap(Path unixSocket) {
        try {
            SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(unixSocket));
            socket = channel;
            in = Channels.newInputStream(channel);
            out = Channels.newOutputStream(channel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a message body as it is, framed with its Content-Length header. */
    void send(String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        try {
            out.write(("Content-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends bytes as they are, no framing added. */
    void sendBytes(String bytes) {
        try {
            out.write(bytes.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads until the adapter closes the connection, within the read timeout, and returns what came before: a broken
     * connection fails the test with a timeout instead of hanging it.
     */
    String readToEnd() {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.SocketException reset) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next message from the adapter. */
    JsonObject receive() {
        try {
            int length = -1;
            String header;
            while (!(header = line()).isEmpty()) {
                if (header.startsWith("Content-Length:")) {
                    length = Integer.parseInt(header.substring("Content-Length:".length()).strip());
                }
            }
            byte[] content = in.readNBytes(length);
            return JsonParser.parseString(new String(content, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next event of this kind, skipping others and responses. */
    JsonObject event(String name) {
        while (true) {
            JsonObject message = receive();
            if ("event".equals(message.get("type").getAsString()) && name.equals(message.get("event").getAsString())) {
                return message;
            }
        }
    }

    /** The next response, skipping events. */
    JsonObject response() {
        while (true) {
            JsonObject message = receive();
            if ("response".equals(message.get("type").getAsString())) {
                return message;
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the adapter closed the connection");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
