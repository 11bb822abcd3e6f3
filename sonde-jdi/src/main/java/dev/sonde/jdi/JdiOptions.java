package dev.sonde.jdi;

import dev.sonde.core.config.SondeConfig;
import dev.sonde.jdi.stepping.StepFilters;
import dev.sonde.jdi.values.ReadLimits;

import java.time.Duration;

/**
 * Settings of the JVM backend.
 *
 * @param attachTimeout        how long to keep trying to reach a target that is not up yet
 * @param stepFilters          what stepping skips
 * @param readLimits           how much of strings, arrays and collections to read
 * @param invokeTimeout        how long code that an evaluation runs in the target may take
 * @param stopOnConditionError whether a breakpoint whose condition cannot be evaluated stops (else it counts as false)
 * @param snapshotDepth        levels of object fields that snapshots capture
 */
public record JdiOptions(Duration attachTimeout, StepFilters stepFilters, ReadLimits readLimits, Duration invokeTimeout,
                         boolean stopOnConditionError, int snapshotDepth) {

    public static final JdiOptions DEFAULT = from(SondeConfig.DEFAULTS);

    /** The backend settings of a Sonde configuration. */
    public static JdiOptions from(SondeConfig config) {
        return new JdiOptions(config.attach().timeout(),
                new StepFilters(config.stepping().exclude(), config.stepping().skipSynthetic()),
                new ReadLimits(config.values().maxElements(), config.values().maxStringLength()),
                config.eval().invokeTimeout(),
                config.breakpoints().conditionErrors().equals("stop"),
                config.snapshots().depth());
    }

    public JdiOptions withAttachTimeout(Duration timeout) {
        return new JdiOptions(timeout, stepFilters, readLimits, invokeTimeout, stopOnConditionError, snapshotDepth);
    }
}
