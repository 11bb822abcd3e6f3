package dev.sonde.dap.server;

import java.util.concurrent.CompletableFuture;

/**
 * Handles one kind of DAP request (some handle a family, such as the three steps). Handlers never block:
 * they compose the session's asynchronous calls and complete the returned future with the response body
 * (null for none), or fail it with a {@link dev.sonde.core.error.SondeException} that becomes the error response.
 *
 * @param <A> the lsp4j type the request's arguments are read into
 */
public interface RequestHandler<A> {

    Class<A> argumentsType();

    /** Whether the request may come without arguments (then {@code handle} gets null). */
    default boolean argumentsOptional() {
        return false;
    }

    /**
     * Whether the handler limits its own waiting (launch and attach wait longer than other requests); otherwise the
     * adapter's request timeout applies.
     */
    default boolean boundsItsOwnTime() {
        return false;
    }

    CompletableFuture<?> handle(String command, A arguments, DebugContext context);
}
