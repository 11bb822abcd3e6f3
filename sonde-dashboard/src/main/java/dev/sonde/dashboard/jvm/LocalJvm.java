package dev.sonde.dashboard.jvm;

/**
 * A JVM running on this machine as this user, as the Attach API lists it.
 *
 * @param mainClass   the main class or jar, as {@code sonde ps} shows it ({@code ?} when the JVM does not say)
 * @param displayName the whole display name: the main class or jar and its arguments
 */
public record LocalJvm(long pid, String mainClass, String displayName) {
}
