package dev.sonde.core.breakpoints;

import dev.sonde.core.error.SondeException;

/**
 * Which hits of a breakpoint count, by their number (1 for the first hit whose condition held).
 *
 * @param kind  {@code hits N}: only the Nth hit; {@code every N}: the Nth, 2Nth, ...; {@code after N}: every hit after the first N
 * @param count N
 */
public record HitCondition(Kind kind, long count) {

    public enum Kind {
        HITS, EVERY, AFTER;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public HitCondition {
        if (count < (kind == Kind.AFTER ? 0 : 1)) {
            throw SondeException.invalidInput("A hit count must be at least " + (kind == Kind.AFTER ? 0 : 1) + ", not " + count + ".");
        }
    }

    /** Whether the hit with this number (1-based) counts. */
    public boolean passes(long hit) {
        return switch (kind) {
            case HITS -> hit == count;
            case EVERY -> hit % count == 0;
            case AFTER -> hit > count;
        };
    }

    /** Whether no later hit can count, so the breakpoint has done its work ({@code hits N} after the Nth). */
    public boolean exhausted(long hit) {
        return kind == Kind.HITS && hit >= count;
    }

    public String describe() {
        return kind.label() + " " + count;
    }
}
