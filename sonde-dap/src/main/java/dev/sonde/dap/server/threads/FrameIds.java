package dev.sonde.dap.server.threads;

import dev.sonde.core.error.SondeException;

import java.util.HashMap;
import java.util.Map;

/** DAP frame ids for the frames shown since the target last stopped; DAP lets them die when it resumes. */
public final class FrameIds {

    /** A frame of a suspended thread: Sonde's thread id and the frame's index, 0 at the top. */
    public record FrameRef(long threadId, int index) {
    }

    private final Map<FrameRef, Integer> ids = new HashMap<>();
    private final Map<Integer, FrameRef> frames = new HashMap<>();
    // Never reused within a session, so a stale id from an earlier stop cannot name a frame of this one.
    private int last;

    public synchronized int idOf(FrameRef frame) {
        return ids.computeIfAbsent(frame, f -> {
            last = last == Integer.MAX_VALUE ? 1 : last + 1;
            frames.put(last, f);
            return last;
        });
    }

    public synchronized FrameRef frame(int frameId) {
        FrameRef frame = frames.get(frameId);
        if (frame == null) {
            throw SondeException.notFound("Frame " + frameId + " is not from the current stop; ask for the stack trace again.");
        }
        return frame;
    }

    /** Forgets every frame; called when the target resumes. */
    public synchronized void clear() {
        ids.clear();
        frames.clear();
    }
}
