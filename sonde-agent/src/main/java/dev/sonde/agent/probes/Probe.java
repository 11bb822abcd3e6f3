package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

/** One armed probe: a logpoint or a method monitor, on one class. */
public sealed interface Probe permits LogProbe, MonitorProbe {

    int id();

    Class<?> target();

    /** The probe as the {@code probes} command lists it. */
    Json.Obj describe();
}
