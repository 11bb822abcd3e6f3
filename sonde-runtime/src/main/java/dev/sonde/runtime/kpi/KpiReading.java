package dev.sonde.runtime.kpi;

/** A KPI's value at one evaluation; the value is NaN while there is nothing to compute it from. */
public record KpiReading(Kpi kpi, double value, double threshold, boolean breached) {
}
