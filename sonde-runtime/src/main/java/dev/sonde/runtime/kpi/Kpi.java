package dev.sonde.runtime.kpi;

/** The four key indicators the runtime computes live. */
public enum Kpi {
    /** Scope violations per scope entered, over {@code kpi.window}; goal below {@code kpi.scopeViolationRate.max}. */
    SCOPE_VIOLATION_RATE("scopeViolationRate", "ratio", false),
    /** Sessions closed normally per session ended, over {@code kpi.window}; goal above {@code kpi.sessionSuccessRate.min}. */
    SESSION_SUCCESS_RATE("sessionSuccessRate", "ratio", true),
    /** Mean duration of all operations, over {@code operations.window}; goal below {@code kpi.meanOperationDuration.max}. */
    MEAN_OPERATION_DURATION("meanOperationDuration", "ms", false),
    /** 99th percentile of error-recovery time, over {@code operations.window}; goal below {@code kpi.recoveryTime.max}. */
    ERROR_RECOVERY_TIME("errorRecoveryTime", "ms", false);

    private final String key;
    private final String unit;
    private final boolean higherIsBetter;

    Kpi(String key, String unit, boolean higherIsBetter) {
        this.key = key;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    /** The name shown in JMX, JSON and metrics. */
    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }

    /** True when the goal is to stay above the threshold, false when it is to stay below it. */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether the value breaches the threshold; a value of NaN (no data yet) never does. */
    public boolean breaches(double value, double threshold) {
        if (Double.isNaN(value)) {
            return false;
        }
        return higherIsBetter ? value < threshold : value > threshold;
    }
}
