package dev.sonde.jdi;

import dev.sonde.core.agent.ProbeRoute;
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
 * @param probeRoute           whether logpoints run in the Sonde agent or through JDWP
 * @param asyncAttach          whether attaching to a JVM of this machine loads the Sonde agent capturing async stacks
 *                             into it (off unless the command asks: {@code sonde attach} and {@code sonde dap} do)
 */
public record JdiOptions(Duration attachTimeout, StepFilters stepFilters, ReadLimits readLimits, Duration invokeTimeout,
                         boolean stopOnConditionError, int snapshotDepth, ProbeRoute probeRoute, boolean asyncAttach) {

    public static final JdiOptions DEFAULT = from(SondeConfig.DEFAULTS);

    /** The backend settings of a Sonde configuration. */
    public static JdiOptions from(SondeConfig config) {
        return new JdiOptions(config.attach().timeout(),
                new StepFilters(config.stepping().exclude(), config.stepping().skipSynthetic()),
                new ReadLimits(config.values().maxElements(), config.values().maxStringLength()),
                config.eval().invokeTimeout(),
                config.breakpoints().conditionErrors().equals("stop"),
                config.snapshots().depth(),
                ProbeRoute.parse(config.probes().mode()));
    }

    /** Settings that load no agent when attaching. */
    public JdiOptions(Duration attachTimeout, StepFilters stepFilters, ReadLimits readLimits, Duration invokeTimeout,
                      boolean stopOnConditionError, int snapshotDepth, ProbeRoute probeRoute) {
        this(attachTimeout, stepFilters, readLimits, invokeTimeout, stopOnConditionError, snapshotDepth, probeRoute, false);
    }

    /** Settings with logpoints routed as {@code probes.mode} defaults (auto). */
    public JdiOptions(Duration attachTimeout, StepFilters stepFilters, ReadLimits readLimits, Duration invokeTimeout,
                      boolean stopOnConditionError, int snapshotDepth) {
        this(attachTimeout, stepFilters, readLimits, invokeTimeout, stopOnConditionError, snapshotDepth, ProbeRoute.AUTO);
    }

    public JdiOptions withAttachTimeout(Duration timeout) {
        return new JdiOptions(timeout, stepFilters, readLimits, invokeTimeout, stopOnConditionError, snapshotDepth, probeRoute, asyncAttach);
    }

    public JdiOptions withProbeRoute(ProbeRoute route) {
        return new JdiOptions(attachTimeout, stepFilters, readLimits, invokeTimeout, stopOnConditionError, snapshotDepth, route, asyncAttach);
    }

    /** These settings with {@link #asyncAttach()} as given ({@code --no-async-stacks} turns it off). */
    public JdiOptions withAsyncAttach(boolean load) {
        return new JdiOptions(attachTimeout, stepFilters, readLimits, invokeTimeout, stopOnConditionError, snapshotDepth, probeRoute, load);
    }
}
