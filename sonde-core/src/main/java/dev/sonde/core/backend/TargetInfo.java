package dev.sonde.core.backend;

/**
 * What a session is connected to.
 *
 * @param kind        {@code jvm} or {@code python}
 * @param description the runtime's own description ({@code OpenJDK 64-Bit Server VM 21.0.2})
 * @param address     {@code host:port} of the debug connection
 * @param pid         the target's process id when known, else -1
 */
public record TargetInfo(String kind, String description, String address, long pid) {
}
