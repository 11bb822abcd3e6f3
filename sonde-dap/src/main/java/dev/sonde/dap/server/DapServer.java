package dev.sonde.dap.server;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A Debug Adapter Protocol server for JVM targets over any {@link dev.sonde.core.session.Session}: each client
 * gets a connection of its own, with its own session. The {@link TargetFactory} decides how targets are reached.
 */
public final class DapServer {

    private final TargetFactory targets;
    private final DapOptions options;

    public DapServer(TargetFactory targets, DapOptions options) {
        this.targets = targets;
        this.options = options;
    }

    /** Serves a client on these streams (stdio, or a socket's) on a thread of its own. */
    public DapConnection serve(InputStream in, OutputStream out) {
        return DapConnection.start(in, out, targets, options);
    }
}
