package dev.sonde.dap.server.threads;

import dev.sonde.core.model.Frame;
import dev.sonde.dap.server.ClientConventions;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.breakpoints.BreakpointBook;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourcePresentationHint;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StackFramePresentationHint;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StackTraceResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code stackTrace}: frames {@code startFrame .. startFrame+levels-1} of a stopped thread, with the total, so a
 * client can load a deep stack in pages. Frames carry the client's path of their source file when it is found. The
 * async part of the stack (the code that scheduled the thread's work) follows the thread's own frames.
 */
public final class StackTraceHandler implements RequestHandler<StackTraceArguments> {

    @Override
    public Class<StackTraceArguments> argumentsType() {
        return StackTraceArguments.class;
    }

    @Override
    public CompletableFuture<StackTraceResponse> handle(String command, StackTraceArguments arguments, DebugContext context) {
        long threadId = context.threads().get(arguments.getThreadId());
        int start = arguments.getStartFrame() == null ? 0 : Math.max(0, arguments.getStartFrame());
        int levels = arguments.getLevels() == null || arguments.getLevels() <= 0 ? Integer.MAX_VALUE : arguments.getLevels();
        // The whole stack in one call: the target sends it at once, and the total comes with it.
        return context.stopReads().frames(context.session(), threadId).thenCompose(frames -> context.session().async().asyncStack(threadId)
                .exceptionally(unreadable -> List.of())
                .thenApply(async -> {
                    List<StackFrame> all = new ArrayList<>(frames.size());
                    frames.forEach(frame -> all.add(stackFrame(context.frames().idOf(new FrameRef(threadId, frame.index())), frame, context)));
                    all.addAll(AsyncFrames.of(threadId, async, context));
                    StackTraceResponse response = new StackTraceResponse();
                    response.setStackFrames(all.subList(Math.min(start, all.size()), (int) Math.min(all.size(), (long) start + levels))
                            .toArray(StackFrame[]::new));
                    response.setTotalFrames(all.size());
                    return response;
                }));
    }

    static StackFrame stackFrame(int id, Frame frame, DebugContext context) {
        ClientConventions conventions = context.conventions();
        StackFrame dap = new StackFrame();
        dap.setId(id);
        dap.setName(FrameNames.of(frame.location()));
        if (frame.location().file() != null) {
            Source source = BreakpointBook.source(frame.location(), context.sources());
            if (source.getPath() == null) {
                source.setPresentationHint(SourcePresentationHint.DEEMPHASIZE);
            }
            dap.setSource(source);
        }
        int line = conventions.toClientLine(frame.location().line());
        dap.setLine(line);
        dap.setColumn(line > 0 ? conventions.firstColumn() : 0);
        if (frame.nativeMethod()) {
            dap.setPresentationHint(StackFramePresentationHint.SUBTLE);
        }
        return dap;
    }
}
