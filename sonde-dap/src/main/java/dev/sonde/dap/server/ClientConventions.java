package dev.sonde.dap.server;

import org.eclipse.lsp4j.debug.InitializeRequestArguments;

/** How the client counts lines and columns, from its initialize request (DAP's default: from 1). */
public record ClientConventions(boolean linesStartAt1, boolean columnsStartAt1) {

    public static final ClientConventions DEFAULT = new ClientConventions(true, true);

    public static ClientConventions of(InitializeRequestArguments arguments) {
        return new ClientConventions(arguments.getLinesStartAt1() == null || arguments.getLinesStartAt1(),
                arguments.getColumnsStartAt1() == null || arguments.getColumnsStartAt1());
    }

    /** A 1-based line (or -1 for none) as the client counts. */
    public int toClientLine(int line) {
        if (line < 1) {
            return 0;
        }
        return linesStartAt1 ? line : line - 1;
    }

    /** A line from the client as a 1-based line. */
    public int fromClientLine(int line) {
        return linesStartAt1 ? line : line + 1;
    }

    /** The first column, as the client counts. */
    public int firstColumn() {
        return columnsStartAt1 ? 1 : 0;
    }
}
