package dev.sonde.dashboard.jvm;

/** A JVM on this machine as the Attach API lists it. */
public record LocalJvm(long pid, String mainClass, String displayName) {
}
