package dev.sonde.dap.server;

import java.time.Duration;

/**
 * Settings of the DAP server.
 *
 * @param requestTimeout how long a request waits for the target before it fails
 * @param attachTimeout  how long an attach keeps trying while nothing listens yet, unless the request gives a timeout
 * @param launchTimeout  how long a launched program may take to start and accept the debugger
 */
public record DapOptions(Duration requestTimeout, Duration attachTimeout, Duration launchTimeout) {

    public static final DapOptions DEFAULT = new DapOptions(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60));
}
