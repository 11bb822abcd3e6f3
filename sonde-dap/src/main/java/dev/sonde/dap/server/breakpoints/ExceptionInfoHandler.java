package dev.sonde.dap.server.breakpoints;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopDetail;
import dev.sonde.core.model.Rendering;
import dev.sonde.core.model.ThrowableInfo;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.ExceptionBreakMode;
import org.eclipse.lsp4j.debug.ExceptionDetails;
import org.eclipse.lsp4j.debug.ExceptionInfoArguments;
import org.eclipse.lsp4j.debug.ExceptionInfoResponse;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * {@code exceptionInfo}: the exception a thread stopped at, from the stop's details, with its whole stack and its
 * causes (each an inner exception, as {@code printStackTrace} shows them). When the exception's own stack cannot be
 * read, the thread's stack stands in for it.
 */
public final class ExceptionInfoHandler implements RequestHandler<ExceptionInfoArguments> {

    @Override
    public Class<ExceptionInfoArguments> argumentsType() {
        return ExceptionInfoArguments.class;
    }

    @Override
    public CompletableFuture<ExceptionInfoResponse> handle(String command, ExceptionInfoArguments arguments, DebugContext context) {
        long threadId = context.threads().get(arguments.getThreadId());
        Event.Stopped stop = context.session().currentStop()
                .filter(s -> s.thread() != null && s.thread().id() == threadId)
                .orElse(null);
        if (stop == null || !(stop.detail() instanceof StopDetail.ExceptionThrown thrown)) {
            throw SondeException.notFound("Thread " + arguments.getThreadId()
                    + " is not stopped at an exception; exception details come with stops at exception breakpoints.");
        }
        ExceptionInfoResponse response = new ExceptionInfoResponse();
        response.setExceptionId(thrown.type());
        response.setDescription(thrown.message() == null ? thrown.type() : thrown.message());
        response.setBreakMode(thrown.uncaught() ? ExceptionBreakMode.UNHANDLED : ExceptionBreakMode.ALWAYS);
        ExceptionDetails details = new ExceptionDetails();
        details.setMessage(thrown.message());
        details.setTypeName(Rendering.simpleName(thrown.type()));
        details.setFullTypeName(thrown.type());
        response.setDetails(details);
        if (thrown.exception().ref() == 0) {
            return threadStack(context, threadId, details).thenApply(done -> response);
        }
        return context.session().async().throwable(threadId, thrown.exception().ref()).thenApply(chain -> {
            details.setStackTrace(chain.render().strip());
            details.setInnerException(chain.cause() == null ? null : new ExceptionDetails[] {details(chain.cause())});
            return response;
        }).exceptionallyCompose(unreadable -> threadStack(context, threadId, details).thenApply(done -> response));
    }

    private static ExceptionDetails details(ThrowableInfo exception) {
        ExceptionDetails details = new ExceptionDetails();
        details.setMessage(exception.message());
        details.setTypeName(Rendering.simpleName(exception.type()));
        details.setFullTypeName(exception.type());
        details.setStackTrace(exception.stack().stream().map(frame -> "\tat " + frame).collect(Collectors.joining("\n")));
        if (exception.cause() != null) {
            details.setInnerException(new ExceptionDetails[] {details(exception.cause())});
        }
        return details;
    }

    private static CompletableFuture<Void> threadStack(DebugContext context, long threadId, ExceptionDetails details) {
        return context.session().async().stackTrace(threadId, 0, Integer.MAX_VALUE).thenAccept(frames ->
                details.setStackTrace(frames.stream().map(frame -> "\tat " + frame.location()).collect(Collectors.joining("\n"))));
    }
}
