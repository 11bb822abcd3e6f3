package dev.sonde.core.model;

/**
 * An expression evaluated for a snapshot: its value, or the one-sentence reason it has none.
 *
 * @param value null when {@code error} is set
 * @param error null when {@code value} is set
 */
public record WatchResult(String expression, Value value, String error) {

    public static WatchResult of(String expression, Value value) {
        return new WatchResult(expression, value, null);
    }

    public static WatchResult failed(String expression, String error) {
        return new WatchResult(expression, null, error);
    }
}
