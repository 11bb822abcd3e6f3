package dev.sonde.core.model;

import java.util.Objects;

/**
 * One way to complete what is typed in the debug console: a name in scope, or a member of the static type of the
 * expression before the dot. The label replaces the identifier that ends at the cursor.
 *
 * @param label  the name to insert: {@code order}, {@code total}
 * @param kind   what the name is
 * @param detail its type, or a method's signature: {@code EvalFixture.Order}, {@code total() : double}
 */
public record Completion(String label, Kind kind, String detail) {

    public enum Kind {
        VARIABLE,
        FIELD,
        METHOD,
        CLASS
    }

    public Completion {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }
}
