package dev.sonde.dap.server.threads;

import dev.sonde.core.backend.StepKind;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import org.eclipse.lsp4j.debug.NextArguments;
import org.eclipse.lsp4j.debug.StepOutArguments;

import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;

/** {@code next} and {@code stepOut} ({@code stepIn} has {@link StepInHandler}): one step of a stopped thread; a {@code stopped} event follows where it lands. */
public final class StepHandler<A> implements RequestHandler<A> {

    private final Class<A> argumentsType;
    private final ToIntFunction<A> threadOf;
    private final StepKind kind;

    private StepHandler(Class<A> argumentsType, ToIntFunction<A> threadOf, StepKind kind) {
        this.argumentsType = argumentsType;
        this.threadOf = threadOf;
        this.kind = kind;
    }

    public static StepHandler<NextArguments> next() {
        return new StepHandler<>(NextArguments.class, NextArguments::getThreadId, StepKind.OVER);
    }

    public static StepHandler<StepOutArguments> stepOut() {
        return new StepHandler<>(StepOutArguments.class, StepOutArguments::getThreadId, StepKind.OUT);
    }

    @Override
    public Class<A> argumentsType() {
        return argumentsType;
    }

    @Override
    public CompletableFuture<Void> handle(String command, A arguments, DebugContext context) {
        long threadId = context.threads().get(threadOf.applyAsInt(arguments));
        return context.session().async().step(threadId, kind);
    }
}
