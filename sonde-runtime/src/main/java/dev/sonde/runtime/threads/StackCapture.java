package dev.sonde.runtime.threads;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to record the stack where something was created: never, for one in N occurrences picked at
 * random (as Netty's leak detector does), or always.
 */
public enum StackCapture {
    OFF, SAMPLED, ALL;

    private static final StackWalker WALKER = StackWalker.getInstance();

    /** Whether this occurrence should record its stack. */
    public boolean shouldCapture(int samplingInterval) {
        switch (this) {
            case OFF:
                return false;
            case ALL:
                return true;
            default:
                return samplingInterval <= 1 || ThreadLocalRandom.current().nextInt(samplingInterval) == 0;
        }
    }

    /**
     * The caller's stack, most recent frame first, without the leading frames of the named classes
     * (the library's own entry points) and at most {@code maxDepth} frames long.
     */
    public static List<StackTraceElement> callerStack(Set<String> internalClasses, int maxDepth) {
        return CapturedStack.of(WALKER.walk(frames -> frames
                .dropWhile(frame -> isInternal(frame.getClassName(), internalClasses))
                .limit(maxDepth)
                .map(StackWalker.StackFrame::toStackTraceElement)
                .toArray(StackTraceElement[]::new)));
    }

    /** A stack rendered one frame a line, as a thread dump shows it. */
    public static String render(List<StackTraceElement> stack) {
        return stack instanceof CapturedStack captured ? captured.text() : renderFrames(stack);
    }

    static String renderFrames(List<StackTraceElement> stack) {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : stack) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append("at ").append(frame);
        }
        return text.toString();
    }

    private static boolean isInternal(String className, Set<String> internalClasses) {
        int nested = className.indexOf('$');
        String outer = nested < 0 ? className : className.substring(0, nested);
        return outer.equals(StackCapture.class.getName()) || internalClasses.contains(outer);
    }
}
