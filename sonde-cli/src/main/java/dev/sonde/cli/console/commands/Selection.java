package dev.sonde.cli.console.commands;

import dev.sonde.core.error.SondeException;

/**
 * The thread and frame the console's commands act on. A stop selects the stopped thread and its top frame
 * (frame 0); {@code up} goes toward the caller. Shared by every command of one console.
 */
public final class Selection {

    private record Selected(long thread, int frame) {
    }

    private volatile Selected selected = new Selected(0, 0);

    /** The selected thread's id, or 0 when none is selected. */
    public long thread() {
        return selected.thread();
    }

    /** The selected frame's index, 0 being the top of the stack. */
    public int frame() {
        return selected.frame();
    }

    /** Selects a thread and its top frame. */
    public void selectThread(long threadId) {
        selected = new Selected(threadId, 0);
    }

    /** Selects a frame of the selected thread. */
    public void selectFrame(int index) {
        selected = new Selected(selected.thread(), index);
    }

    /** The selected thread's id; fails saying how to select one when none is. */
    public long requireThread() {
        long thread = thread();
        if (thread == 0) {
            throw SondeException.badState("No thread is selected; wait for a stop, or pick one with `thread ID` (`threads` lists them).");
        }
        return thread;
    }
}
