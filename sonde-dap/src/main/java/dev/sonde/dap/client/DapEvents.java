package dev.sonde.dap.client;

import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/** What a DAP server tells its client, plus the end of the connection. Called on the channel's event thread, in order. */
interface DapEvents extends IDebugProtocolClient {

    /** The connection is gone: closed by either side, or broken. Called once, after every event that came before. */
    void connectionClosed();
}
