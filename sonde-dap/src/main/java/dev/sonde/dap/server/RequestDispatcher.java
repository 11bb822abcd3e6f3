package dev.sonde.dap.server;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import org.eclipse.lsp4j.jsonrpc.Endpoint;

import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes each request to its handler, one request at a time in the order they came: a client that sets
 * breakpoints and then sends configurationDone must find them set before the target runs. Handlers do not
 * block, so waiting for the previous request costs no thread. Arguments are read here, so a malformed request
 * gets an error response that names what is wrong, and the adapter serves on.
 */
final class RequestDispatcher implements Endpoint {

    private static final Pattern JSON_PATH = Pattern.compile("path \\$\\.?(\\S*)");

    private final Map<String, RequestHandler<?>> handlers;
    private final Gson gson;
    private final Duration requestTimeout;
    private DebugContext context;
    // Guarded by this.
    private CompletableFuture<?> previous = CompletableFuture.completedFuture(null);

    RequestDispatcher(Map<String, RequestHandler<?>> handlers, Gson gson, Duration requestTimeout) {
        this.handlers = handlers;
        this.gson = gson;
        this.requestTimeout = requestTimeout;
    }

    /** The connection's state; set once, before the first request is read. */
    void serve(DebugContext debugContext) {
        this.context = debugContext;
    }

    @Override
    public synchronized CompletableFuture<?> request(String command, Object arguments) {
        CompletableFuture<Object> response = previous.thenCompose(done -> run(command, arguments));
        previous = response.handle((result, failure) -> null);
        return response;
    }

    @Override
    public void notify(String method, Object parameter) {
        // DAP clients send requests only; an event from one has no meaning to the adapter.
    }

    private CompletableFuture<Object> run(String command, Object arguments) {
        try {
            if (arguments instanceof IncomingMessages.Rejected rejected) {
                throw SondeException.invalidInput(rejected.sentence());
            }
            RequestHandler<?> handler = command == null ? null : handlers.get(command);
            if (handler == null) {
                throw new SondeException(ErrorKind.UNSUPPORTED, command == null
                        ? "The request has no command; name one, as the Debug Adapter Protocol specifies."
                        : "Sonde's debug adapter does not support the '" + command + "' request; its initialize response lists what it supports.");
            }
            CompletableFuture<Object> result = call(handler, command, arguments);
            if (handler.boundsItsOwnTime()) {
                return result;
            }
            return result.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(failure -> {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                return CompletableFuture.failedFuture(cause instanceof TimeoutException
                        ? SondeException.timeout("The target did not answer the '" + command + "' request within "
                        + requestTimeout.toSeconds() + " s; it may be hung or overloaded, so try again.")
                        : cause);
            });
        } catch (RuntimeException failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    private <A> CompletableFuture<Object> call(RequestHandler<A> handler, String command, Object arguments) {
        A read = read(handler, command, arguments);
        return handler.handle(command, read, context).thenApply(body -> body);
    }

    private <A> A read(RequestHandler<A> handler, String command, Object arguments) {
        if (arguments == null || arguments instanceof JsonElement json && json.isJsonNull()) {
            if (handler.argumentsOptional()) {
                return null;
            }
            throw SondeException.invalidInput("The '" + command + "' request needs arguments; send them as the Debug Adapter Protocol specifies.");
        }
        if (!(arguments instanceof JsonElement json)) {
            return handler.argumentsType().cast(arguments);
        }
        if (handler.argumentsType() == JsonObject.class && !json.isJsonObject()) {
            throw SondeException.invalidInput("The arguments of the '" + command + "' request must be an object; send them as the"
                    + " Debug Adapter Protocol specifies.");
        }
        try {
            // Read from text, not from the tree: Gson's tree reader wraps numbers past int range (2^32 becomes 0).
            return gson.fromJson(new JsonReader(new StringReader(json.toString())), handler.argumentsType());
        } catch (JsonParseException | IllegalStateException | NumberFormatException | ClassCastException | UnsupportedOperationException e) {
            Matcher path = JSON_PATH.matcher(String.valueOf(e.getMessage()));
            String where = path.find() && !path.group(1).isEmpty() ? "argument '" + path.group(1) + "'" : "arguments";
            throw SondeException.invalidInput("The " + where + " of the '" + command + "' request cannot be read (wrong type, or a number out of range);"
                    + " send them as the Debug Adapter Protocol specifies.");
        }
    }
}
