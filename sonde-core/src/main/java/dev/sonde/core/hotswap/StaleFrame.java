package dev.sonde.core.hotswap;

/**
 * A frame that still runs the old code of a method replaced by hot code replace; restarting the frame re-enters it
 * in the new code.
 *
 * @param frameIndex 0 at the top of the thread's stack
 * @param method     {@code SimpleClass.method}
 */
public record StaleFrame(long threadId, String threadName, int frameIndex, String method) {

    /** {@code main#0 Orders.total}. */
    public String label() {
        return threadName + "#" + frameIndex + " " + method;
    }
}
