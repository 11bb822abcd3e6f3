package dev.sonde.dap.server.threads;

import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.Frame;
import dev.sonde.dap.server.DebugContext;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StackFramePresentationHint;

import java.util.ArrayList;
import java.util.List;

/**
 * The async part of a stack as DAP frames: per hand-off a label frame naming it, then the stack that scheduled the
 * work, the scheduling machinery's frames marked {@code subtle}. Clients that know no async stacks show them as frames.
 * Their ids stand for negative frame indexes, which no backend frame has: they have no variables.
 */
final class AsyncFrames {

    private AsyncFrames() {
    }

    static List<StackFrame> of(long threadId, List<AsyncSegment> segments, DebugContext context) {
        List<StackFrame> frames = new ArrayList<>();
        int next = -1;
        for (AsyncSegment segment : segments) {
            StackFrame label = new StackFrame();
            label.setId(context.frames().idOf(new FrameRef(threadId, next--)));
            label.setName("— scheduled by " + segment.kind() + " on " + segment.thread() + ", " + segment.ageMillis() + " ms earlier —");
            label.setLine(0);
            label.setColumn(0);
            label.setPresentationHint(StackFramePresentationHint.LABEL);
            frames.add(label);
            for (Frame frame : segment.frames()) {
                StackFrame dap = StackTraceHandler.stackFrame(context.frames().idOf(new FrameRef(threadId, next--)), frame, context);
                if (AsyncSegment.machinery(frame.location())) {
                    dap.setPresentationHint(StackFramePresentationHint.SUBTLE);
                }
                frames.add(dap);
            }
        }
        return frames;
    }
}
