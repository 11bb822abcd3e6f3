package dev.sonde.runtime.kpi;

import java.time.Instant;

/** A KPI that went past its threshold: recorded once when the breach starts. */
public record KpiAlert(Kpi kpi, Instant at, double value, double threshold) {

    public String describe() {
        return "KPI " + kpi.key() + " was " + value + " " + kpi.unit() + " at " + at + ", past its threshold of "
                + threshold + " " + kpi.unit() + ".";
    }
}
