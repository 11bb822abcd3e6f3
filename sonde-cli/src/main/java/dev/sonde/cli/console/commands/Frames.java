package dev.sonde.cli.console.commands;

import dev.sonde.cli.console.Reply;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Frame;

import java.util.List;

/** Selecting a frame of the selected thread, for {@code frame}, {@code up} and {@code down}. */
final class Frames {

    private Frames() {
    }

    /** Moves the selection {@code by} frames toward the callers (negative: toward the top). */
    static Reply move(int by, CommandContext context) {
        int current = context.selection().frame();
        int target = current + by;
        if (target < 0) {
            throw SondeException.badState("Already at the top frame (0); `up` goes toward the callers.");
        }
        long thread = context.selection().requireThread();
        if (context.session().stackTrace(thread, target, 1).isEmpty()) {
            throw SondeException.badState("Already at the outermost frame (" + current + "); `down` goes back toward the top.");
        }
        return select(target, context);
    }

    static Reply select(int index, CommandContext context) {
        long thread = context.selection().requireThread();
        List<Frame> frames = context.session().stackTrace(thread, index, 1);
        if (index < 0 || frames.isEmpty()) {
            int depth = context.session().stackTrace(thread).size();
            throw SondeException.notFound("There is no frame " + index + "; the stack has " + depth + " frame" + (depth == 1 ? "" : "s")
                    + " (0 is the top).");
        }
        context.selection().selectFrame(index);
        return new Reply.FrameSelected(frames.get(0));
    }
}
