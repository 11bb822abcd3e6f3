package dev.sonde.jdi;

import dev.sonde.core.config.SondeConfig;
import dev.sonde.jdi.stepping.StepFilters;
import dev.sonde.jdi.values.ReadLimits;

import java.time.Duration;

/**
 * Settings of the JVM backend.
 *
 * @param attachTimeout how long to keep trying to reach a target that is not up yet
 * @param stepFilters   what stepping skips
 * @param readLimits    how much of strings, arrays and collections to read
 */
public record JdiOptions(Duration attachTimeout, StepFilters stepFilters, ReadLimits readLimits) {

    public static final JdiOptions DEFAULT = new JdiOptions(Duration.ofSeconds(10), StepFilters.DEFAULT, ReadLimits.DEFAULT);

    /** The backend settings of a Sonde configuration. */
    public static JdiOptions from(SondeConfig config) {
        return new JdiOptions(config.attach().timeout(),
                new StepFilters(config.stepping().exclude(), config.stepping().skipSynthetic()),
                new ReadLimits(config.values().maxElements(), config.values().maxStringLength()));
    }

    public JdiOptions withAttachTimeout(Duration timeout) {
        return new JdiOptions(timeout, stepFilters, readLimits);
    }
}
