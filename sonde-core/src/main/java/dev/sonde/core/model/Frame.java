package dev.sonde.core.model;

/**
 * One frame of a suspended thread's stack. Frame 0 is the top of the stack (the innermost call).
 *
 * @param index    position in the stack, 0 at the top
 * @param location where the frame is executing
 * @param nativeMethod whether the method is native (no locals, no line)
 */
public record Frame(int index, Location location, boolean nativeMethod) {
}
