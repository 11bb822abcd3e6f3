package dev.sonde.core.event;

import dev.sonde.core.model.Location;
import dev.sonde.core.model.Value;

/** What else a stop has to say, by kind of stop. */
public sealed interface StopDetail {

    /**
     * An exception being thrown.
     *
     * @param exception  the exception object
     * @param type       its class
     * @param message    its message, or null
     * @param catchAt    where it will be caught, or null when nothing catches it
     */
    record ExceptionThrown(Value exception, String type, String message, Location catchAt) implements StopDetail {
        public boolean uncaught() {
            return catchAt == null;
        }
    }

    /** A method returning {@code value} (a {@code void} method returns the primitive-less {@code Value.Null("void")}). */
    record Returning(String method, Value value) implements StopDetail {
    }

    /** A field about to be written: its value now and the value it will have. */
    record FieldModified(String field, Value oldValue, Value newValue) implements StopDetail {
    }

    /** A field being read. */
    record FieldAccessed(String field, Value value) implements StopDetail {
    }
}
