package dev.sonde.dap.framing;

import com.google.gson.JsonObject;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.messages.Message;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * lsp4j's message producer with {@link FrameReader}'s strict framing in place of lsp4j's own, which skips what it
 * cannot read and then waits forever. Listening ends at the end of input, when the stream fails, or at the first
 * message that cannot be read, which goes to {@code onBroken} so its owner can say so and close the connection.
 */
public final class StrictMessageProducer implements MessageProducer, Closeable {

    /** Turns a message body into lsp4j's message, or null for a message to drop. */
    @FunctionalInterface
    public interface Reading {
        Message toMessage(JsonObject body) throws BrokenFramingException;
    }

    private final FrameReader frames;
    private final Reading reading;
    private final Consumer<BrokenFramingException> onBroken;
    private volatile boolean listening;

    public StrictMessageProducer(FrameReader frames, Reading reading, Consumer<BrokenFramingException> onBroken) {
        this.frames = frames;
        this.reading = reading;
        this.onBroken = onBroken;
    }

    @Override
    public void listen(MessageConsumer callback) {
        listening = true;
        try {
            while (listening) {
                Optional<JsonObject> body = frames.next();
                if (body.isEmpty()) {
                    return;
                }
                Message message = reading.toMessage(body.get());
                if (message != null) {
                    callback.consume(message);
                }
            }
        } catch (BrokenFramingException broken) {
            if (listening) {
                onBroken.accept(broken);
            }
        } catch (IOException ended) {
            // The stream failed or was closed under us: either way the connection is over.
        } finally {
            listening = false;
        }
    }

    @Override
    public void close() {
        listening = false;
    }
}
