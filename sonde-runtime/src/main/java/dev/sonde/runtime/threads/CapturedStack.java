package dev.sonde.runtime.threads;

import dev.sonde.runtime.json.JsonWriter;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A recorded stack: an unmodifiable list of frames that renders its text once, on first use, however
 * many polls show it. A dashboard polls every second and every poll shows the same recorded stacks
 * (of the oldest resources, of leaks, of violations); formatting each frame anew each time was most
 * of a poll's cost.
 */
public final class CapturedStack extends AbstractList<StackTraceElement> implements RandomAccess {

    private final StackTraceElement[] frames;
    // Rendered on first use; two threads racing both render the same text, so no lock is needed.
    private volatile String json;
    private volatile String text;

    private CapturedStack(StackTraceElement[] frames) {
        this.frames = frames;
    }

    /** The frames, most recent first, as a captured stack; an empty list stays {@code List.of()}. */
    public static List<StackTraceElement> of(StackTraceElement[] frames) {
        return frames.length == 0 ? List.of() : new CapturedStack(frames.clone());
    }

    @Override
    public StackTraceElement get(int index) {
        return frames[index];
    }

    @Override
    public int size() {
        return frames.length;
    }

    /** The frames as a JSON array of their {@link StackTraceElement#toString()} texts. */
    public String json() {
        String rendered = json;
        if (rendered == null) {
            JsonWriter writer = new JsonWriter().beginArray();
            for (StackTraceElement frame : frames) {
                writer.value(frame.toString());
            }
            rendered = writer.endArray().toString();
            json = rendered;
        }
        return rendered;
    }

    /** One frame a line, each after {@code "at "}, as {@link StackCapture#render} writes any stack. */
    public String text() {
        String rendered = text;
        if (rendered == null) {
            rendered = StackCapture.renderFrames(this);
            text = rendered;
        }
        return rendered;
    }
}
