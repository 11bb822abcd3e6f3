package dev.sonde.dashboard.metrics;

import io.micrometer.core.instrument.Tags;

/**
 * One figure of one JVM as a Micrometer meter will expose it.
 *
 * @param name  the Micrometer name (dots; the Prometheus registry adds the unit and {@code _total})
 * @param unit  the base unit ({@code seconds}, {@code bytes}) or null
 * @param tags  what tells this figure apart within the JVM (operation, outcome, kind...); the JVM's own labels are added later
 */
record Reading(String name, Kind kind, String unit, Tags tags, double value, String help) {

    enum Kind {
        /** A value that goes up and down. */
        GAUGE,
        /** A cumulative count the runtime keeps; Prometheus computes rates from it. */
        COUNTER
    }

    /** The meter's identity within its JVM. */
    String key() {
        return name + tags;
    }
}
