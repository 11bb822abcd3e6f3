package dev.sonde.dap.server.breakpoints;

import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.SondeException;
import org.eclipse.lsp4j.debug.DataBreakpointAccessType;

/** The data ids of watchable fields, {@code pkg.Class#field}, and the watchpoints they become. */
final class DataIds {

    private DataIds() {
    }

    static String of(String className, String field) {
        return className + "#" + field;
    }

    /** The watchpoint for a data id and access type (null: written, DAP's default). */
    static BreakpointSpec.FieldWatch watch(String dataId, DataBreakpointAccessType access) {
        int hash = dataId == null ? -1 : dataId.lastIndexOf('#');
        if (hash <= 0 || hash == dataId.length() - 1) {
            throw SondeException.invalidInput("Data id '" + dataId + "' names no field; ask dataBreakpointInfo for a field's data id.");
        }
        DataBreakpointAccessType type = access == null ? DataBreakpointAccessType.WRITE : access;
        return new BreakpointSpec.FieldWatch(dataId.substring(0, hash), dataId.substring(hash + 1),
                type != DataBreakpointAccessType.WRITE, type != DataBreakpointAccessType.READ);
    }
}
