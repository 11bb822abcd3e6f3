package dev.sonde.core.model;

/**
 * A named value: a local, an argument, {@code this}, a field or an element.
 *
 * @param name         as in the source ({@code order}, {@code [3]} for array elements)
 * @param declaredType the static type, or {@code null} when unknown
 * @param value        the value read from the target
 * @param kind         where it comes from
 */
public record Variable(String name, String declaredType, Value value, VariableKind kind) {
}
