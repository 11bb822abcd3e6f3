package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

/** One armed probe: a logpoint, a method monitor or a debugger's conditional stop, on one class. */
public sealed interface Probe permits LogProbe, MonitorProbe, StopProbe {

    int id();

    Class<?> target();

    /** The probe as the {@code probes} command lists it. */
    Json.Obj describe();
}
