package dev.sonde.runtime.resources.system;

/** One garbage collector's collections and time spent in them since the JVM started. */
public record GcStats(String name, long collections, long timeMillis) {
}
