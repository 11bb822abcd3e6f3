package dev.sonde.dap.server;

import java.time.Duration;

/**
 * Settings of the DAP server.
 *
 * @param requestTimeout how long a request waits for the target before it fails
 * @param attachTimeout  how long an attach keeps trying while nothing listens yet, unless the request gives a timeout
 * @param launchTimeout  how long a launched program may take to start and accept the debugger
 * @param launchToken    the {@code sondeToken} every launch and attach request must carry; null for none
 */
public record DapOptions(Duration requestTimeout, Duration attachTimeout, Duration launchTimeout, String launchToken) {

    public static final DapOptions DEFAULT = new DapOptions(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60));

    /** Options that take launch and attach requests without a token (stdio, a private Unix socket). */
    public DapOptions(Duration requestTimeout, Duration attachTimeout, Duration launchTimeout) {
        this(requestTimeout, attachTimeout, launchTimeout, null);
    }

    public DapOptions withLaunchToken(String token) {
        return new DapOptions(requestTimeout, attachTimeout, launchTimeout, token);
    }
}
