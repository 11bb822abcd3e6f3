package dev.sonde.dap.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.sonde.dap.framing.BrokenFramingException;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugRequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.Message;

import java.math.BigDecimal;

/**
 * A client's message bodies as lsp4j requests. A message whose {@code seq} can be answered but whose shape is wrong
 * (no {@code type}, no {@code command}) becomes a request carrying a {@link Rejected} reason, so the dispatcher answers
 * it with an error in turn; one without a usable {@code seq} cannot be answered at all, and breaks the connection.
 */
final class IncomingMessages {

    private static final System.Logger LOG = System.getLogger(IncomingMessages.class.getName());

    /** A request that is answered with this error, whatever its command. */
    record Rejected(String sentence) {
    }

    private IncomingMessages() {
    }

    static Message toMessage(JsonObject body) throws BrokenFramingException {
        int seq = seq(body);
        String command = string(body.get("command"));
        String type = string(body.get("type"));
        if (type == null) {
            return rejected(seq, command, "The message has no 'type'; send requests with \"type\": \"request\", as the"
                    + " Debug Adapter Protocol specifies.");
        }
        switch (type) {
            case "request" -> {
                if (command == null) {
                    return rejected(seq, null, "The request has no command; name one, as the Debug Adapter Protocol specifies.");
                }
                DebugRequestMessage request = new DebugRequestMessage();
                request.setId(seq);
                request.setMethod(command);
                JsonElement arguments = body.get("arguments");
                request.setParams(arguments == null || arguments.isJsonNull() ? null : arguments);
                return request;
            }
            case "response", "event" -> {
                // The adapter sends no reverse requests, and events from a client mean nothing to it.
                LOG.log(System.Logger.Level.DEBUG, "dropped a client's " + type + " message");
                return null;
            }
            default -> {
                return rejected(seq, command, "The message type '" + shortened(type) + "' is not one the adapter takes; send"
                        + " requests with \"type\": \"request\", as the Debug Adapter Protocol specifies.");
            }
        }
    }

    private static int seq(JsonObject body) throws BrokenFramingException {
        JsonElement seq = body.get("seq");
        if (seq instanceof JsonPrimitive primitive && primitive.isNumber()) {
            BigDecimal value = primitive.getAsBigDecimal();
            if (value.signum() >= 0 && value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0 && value.stripTrailingZeros().scale() <= 0) {
                return value.intValueExact();
            }
        }
        throw new BrokenFramingException("A message has no usable 'seq' (" + (seq == null ? "none" : shortened(seq.toString()))
                + "), so it cannot be answered; number messages from 1, as the Debug Adapter Protocol specifies.");
    }

    private static DebugRequestMessage rejected(int seq, String command, String sentence) {
        DebugRequestMessage request = new DebugRequestMessage();
        request.setId(seq);
        request.setMethod(command == null ? "" : shortened(command));
        request.setParams(new Rejected(sentence));
        return request;
    }

    private static String string(JsonElement value) {
        return value instanceof JsonPrimitive primitive && primitive.isString() ? primitive.getAsString() : null;
    }

    private static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
