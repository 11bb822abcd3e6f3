package dev.sonde.dap.server.threads;

/** A frame of a suspended thread, as a DAP frame id stands for it: Sonde's thread id and the frame's index, 0 at the top. */
public record FrameRef(long threadId, int index) {
}
