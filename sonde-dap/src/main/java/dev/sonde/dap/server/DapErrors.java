package dev.sonde.dap.server;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Failures as DAP error responses: {@code success: false} with a one-sentence {@code message} (a
 * {@link SondeException}'s own), no stack traces. Bugs are logged in full on the adapter's standard error.
 */
final class DapErrors {

    private static final System.Logger LOG = System.getLogger(DapErrors.class.getName());

    private DapErrors() {
    }

    static ResponseError toResponseError(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ResponseErrorException rejected) {
            return rejected.getResponseError();
        }
        SondeException error = SondeException.from(cause);
        if (error.kind() == ErrorKind.INTERNAL) {
            LOG.log(System.Logger.Level.ERROR, "a DAP request failed", cause);
        }
        return new ResponseError(error.kind() == ErrorKind.INVALID_INPUT ? ResponseErrorCode.InvalidParams : ResponseErrorCode.RequestFailed,
                error.getMessage(), null);
    }
}
