package dev.sonde.core.model;

import java.util.List;

/**
 * An exception as {@code printStackTrace} shows it: its type, message, stack, and what caused it.
 *
 * @param stack one line per frame, as {@code pkg.Class.method(File.java:42)}
 * @param cause the exception that caused it, or null
 */
public record ThrowableInfo(String type, String message, List<String> stack, ThrowableInfo cause) {

    public ThrowableInfo {
        stack = List.copyOf(stack);
    }

    /** The whole chain in {@code printStackTrace}'s shape: the stack, then each cause after {@code Caused by:}. */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (ThrowableInfo at = this; at != null; at = at.cause()) {
            if (at != this) {
                out.append("Caused by: ");
            }
            out.append(at.type()).append(at.message() == null ? "" : ": " + at.message()).append('\n');
            at.stack().forEach(frame -> out.append("\tat ").append(frame).append('\n'));
        }
        return out.toString();
    }
}
