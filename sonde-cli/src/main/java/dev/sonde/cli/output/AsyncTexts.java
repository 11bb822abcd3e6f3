package dev.sonde.cli.output;

import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.Frame;

import java.util.List;

/** The async part of a stack as console text: a separator line per hand-off, then the stack that scheduled it. */
public final class AsyncTexts {

    private AsyncTexts() {
    }

    /** The first {@code shown} hand-offs, machinery frames folded unless {@code withMachinery}; empty text when there are none. */
    public static String handOffs(List<AsyncSegment> segments, int shown, boolean withMachinery) {
        StringBuilder out = new StringBuilder();
        boolean folded = false;
        for (AsyncSegment segment : segments.subList(0, Math.min(shown, segments.size()))) {
            out.append(separator(segment)).append(System.lineSeparator());
            for (Frame frame : segment.frames()) {
                if (!withMachinery && AsyncSegment.machinery(frame.location())) {
                    folded = true;
                    continue;
                }
                out.append("      ").append(frame.location()).append(System.lineSeparator());
            }
        }
        if (segments.size() > shown) {
            int more = segments.size() - shown;
            out.append("  … ").append(more).append(more == 1 ? " earlier hand-off" : " earlier hand-offs").append("; `where all` shows them.")
                    .append(System.lineSeparator());
        }
        if (folded) {
            out.append("  (frames of the scheduling machinery are folded; `where full` shows them)").append(System.lineSeparator());
        }
        return out.toString();
    }

    /** {@code — scheduled by thenApply on "pool-1-thread-2", 3 ms earlier —}. */
    public static String separator(AsyncSegment segment) {
        return "  — scheduled by " + segment.kind() + " on " + segment.thread() + ", " + segment.ageMillis() + " ms earlier —";
    }
}
