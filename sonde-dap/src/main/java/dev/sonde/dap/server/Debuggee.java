package dev.sonde.dap.server;

import dev.sonde.core.session.Session;

/**
 * The target a DAP connection debugs.
 *
 * @param launched    whether the adapter started it (then disconnecting ends it unless the client says otherwise)
 * @param stopOnEntry whether to report the stop before {@code main} instead of running on at configurationDone
 */
public record Debuggee(Session session, boolean launched, boolean stopOnEntry) {
}
