package dev.sonde.dap.server.hotswap;

import java.util.List;

/**
 * The body of the custom {@code hotcodereplace} event, as microsoft/java-debug sends it.
 *
 * @param changeType     {@code STARTING}, {@code END} or {@code ERROR}
 * @param changedClasses the classes replaced ({@code END} only; a Sonde addition)
 */
public record HotCodeReplaceEvent(String changeType, String message, List<String> changedClasses) {
}
