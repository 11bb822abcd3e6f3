package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * The stack of a thread at a probe's hit as a snapshot lists it ({@code class}, {@code method}, {@code file},
 * {@code line}, {@code index}): the frames below the agent's own, as a default {@link StackWalker} shows them. It is
 * read from a {@link Throwable}, whose trace the JVM fills in one call (a {@code StackWalker} walk with line numbers
 * costs several times as much per hit), leaving out reflection's frames as the walker does. A {@code Throwable}
 * names no source file for a frame still running a method of a class retransformed since (which is what probing
 * does); a stack with such a frame, or any frame without a file, is read again with the walker.
 */
final class Stacks {

    private static final String AGENT = "dev.sonde.agent.";
    private static final StackWalker WALKER = StackWalker.getInstance();

    private Stacks() {
    }

    /**
     * Writes the frames of {@code here}'s stack as the members of a JSON array (without its brackets): a {@code Throwable}
     * made as near the instrumented frame as the caller can, as its agent frames are turned into elements too.
     */
    static void frames(Throwable here, StringBuilder out) {
        StackTraceElement[] trace = here.getStackTrace();
        int start = out.length();
        int index = 0;
        boolean inAgent = true;
        for (StackTraceElement frame : trace) {
            String type = frame.getClassName();
            if (inAgent && type.startsWith(AGENT)) {
                continue;
            }
            inAgent = false;
            if (reflective(type)) {
                continue;
            }
            if (frame.getFileName() == null) {
                out.setLength(start);
                walked(out);
                return;
            }
            write(frame, index++, out);
        }
    }

    private static void walked(StringBuilder out) {
        List<StackTraceElement> frames = WALKER.walk(stream -> {
            List<StackTraceElement> kept = new ArrayList<>();
            boolean inAgent = true;
            for (var it = stream.iterator(); it.hasNext(); ) {
                StackWalker.StackFrame frame = it.next();
                if (inAgent && frame.getClassName().startsWith(AGENT)) {
                    continue;
                }
                inAgent = false;
                kept.add(frame.toStackTraceElement());
            }
            return kept;
        });
        for (int i = 0; i < frames.size(); i++) {
            write(frames.get(i), i, out);
        }
    }

    private static void write(StackTraceElement frame, int index, StringBuilder out) {
        if (index > 0) {
            out.append(',');
        }
        out.append("{\"class\":\"");
        Json.escape(frame.getClassName(), out);
        out.append("\",\"method\":\"");
        Json.escape(frame.getMethodName(), out);
        String file = frame.getFileName();
        if (file == null) {
            out.append("\",\"file\":null");
        } else {
            out.append("\",\"file\":\"");
            Json.escape(file, out);
            out.append('"');
        }
        out.append(",\"line\":").append(frame.getLineNumber()).append(",\"index\":").append(index).append('}');
    }

    /** A frame of {@code Method.invoke}, {@code Constructor.newInstance} or their accessors, which the walker leaves out. */
    private static boolean reflective(String type) {
        return type.startsWith("jdk.internal.reflect.") || type.equals("java.lang.reflect.Method") || type.equals("java.lang.reflect.Constructor");
    }
}
