package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

import java.util.List;

/** One armed probe: a logpoint, a snapshot, a method watch, trace or monitor, on one class (a trace: on several). */
public sealed interface Probe permits LogProbe, MonitorProbe, SnapProbe, WatchProbe, TraceProbe {

    int id();

    Class<?> target();

    /** Every class the probe rewrites; its own class for all kinds but {@code trace}. */
    default List<Class<?>> targets() {
        return List.of(target());
    }

    /** The probe as the {@code probes} command lists it. */
    Json.Obj describe();
}
