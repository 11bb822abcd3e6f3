package dev.sonde.dap.client;

import dev.sonde.core.config.SondeConfig;

import java.time.Duration;

/**
 * Settings of the DAP client backend.
 *
 * @param attachTimeout   how long to keep trying to reach a DAP server that is not listening yet
 * @param requestTimeout  how long to wait for the server to answer one request
 * @param maxElements     how many elements of a list, tuple, set or dict to read
 * @param maxStringLength how many characters of a string to keep
 * @param justMyCode      whether the server should step and stop only in the user's own code (debugpy's option)
 */
public record DapClientOptions(Duration attachTimeout, Duration requestTimeout, int maxElements, int maxStringLength,
                               boolean justMyCode) {

    public static final DapClientOptions DEFAULT = from(SondeConfig.DEFAULTS);

    /** The DAP client settings of a Sonde configuration. */
    public static DapClientOptions from(SondeConfig config) {
        return new DapClientOptions(config.attach().timeout(), config.session().requestTimeout(),
                config.values().maxElements(), config.values().maxStringLength(), true);
    }

    public DapClientOptions withAttachTimeout(Duration timeout) {
        return new DapClientOptions(timeout, requestTimeout, maxElements, maxStringLength, justMyCode);
    }
}
