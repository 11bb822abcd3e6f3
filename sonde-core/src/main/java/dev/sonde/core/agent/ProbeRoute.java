package dev.sonde.core.agent;

import dev.sonde.core.error.SondeException;

import java.util.Locale;

/** How a debug session's logpoints run: {@code probes.mode} in sonde.yaml, {@code --probes} on the command line. */
public enum ProbeRoute {
    /** Through the agent when the target is a local JVM that takes it, else through JDWP. */
    AUTO,
    /** Always through JDWP: each hit suspends the thread and crosses the debug connection. */
    JDWP,
    /** Always through the agent; a logpoint it cannot serve fails to set, saying why. */
    AGENT;

    public static ProbeRoute parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw SondeException.invalidInput("probes.mode is '" + text + "'; write auto, jdwp or agent.");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
