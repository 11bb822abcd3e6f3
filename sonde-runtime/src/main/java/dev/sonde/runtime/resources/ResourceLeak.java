package dev.sonde.runtime.resources;

import dev.sonde.runtime.threads.ThreadRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A resource reported as leaked, with the stack where it was registered when allocation stacks are on. */
public record ResourceLeak(Instant at, long id, String type, String description, LeakReason reason, Duration age,
                           ThreadRef owner, List<StackTraceElement> allocationStack) {

    public String describe() {
        String what = type + " " + description + " registered on " + owner;
        return reason == LeakReason.COLLECTED_WITHOUT_CLOSE
                ? what + " was garbage collected without being closed."
                : what + " is still open after " + age.toMillis() + " ms.";
    }
}
