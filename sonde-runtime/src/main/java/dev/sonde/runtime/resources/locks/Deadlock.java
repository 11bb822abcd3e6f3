package dev.sonde.runtime.resources.locks;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Threads that wait for each other's locks in a cycle: none of them can go on. */
public record Deadlock(Instant detectedAt, List<LockedThread> threads) {

    public String describe() {
        return "Deadlock among " + threads.stream()
                .map(t -> t.thread() + " (wants " + t.waitingFor() + " held by " + t.lockOwner() + ")")
                .collect(Collectors.joining(", ")) + ".";
    }
}
