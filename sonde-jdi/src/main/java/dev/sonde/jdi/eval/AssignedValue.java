package dev.sonde.jdi.eval;

/**
 * A value in an assignment context (the right side of {@code =}, an array initializer element); {@code constant} is
 * its value when it is an int or char literal, which Java lets narrow to byte, short or char ({@code byte b = 5}).
 */
record AssignedValue(Node node, Long constant) {
}
