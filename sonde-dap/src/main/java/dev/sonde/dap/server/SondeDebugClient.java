package dev.sonde.dap.server;

import dev.sonde.dap.server.hotswap.HotCodeReplaceEvent;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;

/** The DAP client as the adapter sees it: the protocol's events, and the custom events Java debug clients know. */
public interface SondeDebugClient extends IDebugProtocolClient {

    /** java-debug's {@code hotcodereplace} event, so editor glue written for it works with Sonde. */
    @JsonNotification("hotcodereplace")
    void hotCodeReplace(HotCodeReplaceEvent event);
}
