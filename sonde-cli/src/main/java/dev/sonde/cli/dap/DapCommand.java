package dev.sonde.cli.dap;

import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.core.config.SondeConfig;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.BindPolicy;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.dap.server.DapConnection;
import dev.sonde.dap.server.DapListener;
import dev.sonde.dap.server.DapOptions;
import dev.sonde.dap.server.DapServer;
import dev.sonde.dap.server.access.LaunchToken;
import dev.sonde.jdi.JdiOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code sonde dap}: a standalone Debug Adapter Protocol server for JVM programs. */
@Command(name = "dap",
        mixinStandardHelpOptions = true,
        description = {"Serve the Debug Adapter Protocol for JVM programs: a Java debugger for",
                "VS Code, Neovim (nvim-dap), Emacs (dape), Helix, Zed or any DAP client.",
                "DAP runs on standard input and output (nothing else is written there),",
                "or on a TCP port with --listen (launch and attach must then carry the",
                "token it prints as \"sondeToken\"), or on a Unix socket with --socket;",
                "each connection is a session of its own, open to this OS user only.",
                "Clients launch a program (mainClass, classPaths, ...) or attach to a",
                "JVM's debug port (hostName, port); the README has editor setups."},
        footer = {"", "Examples:",
                "  sonde dap                         # an editor starts it, DAP on stdio",
                "  sonde dap --listen 4711           # for clients that connect to a port",
                "  sonde dap --listen 0              # a free port, printed with its token",
                "  sonde dap --socket /tmp/dap.sock  # a Unix socket only you can open",
                "  sonde dap --listen 0.0.0.0:4711 --allow-remote"},
        sortOptions = false)
public final class DapCommand implements Callable<Integer> {

    /** Held so the setting sticks: java.util.logging keeps loggers only weakly. */
    private static final Logger LSP4J_LOG = Logger.getLogger("org.eclipse.lsp4j");
    /** Sets the --listen token, for editor configurations that read it from the environment. */
    static final String TOKEN_VARIABLE = "SONDE_DAP_TOKEN";

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", paramLabel = "[HOST:]PORT",
            description = "Serve DAP on this TCP port instead of stdio (host 127.0.0.1 unless given; port 0 picks a free one).")
    String listen;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Serve DAP on a Unix domain socket at PATH that only this user can open (0600), instead of stdio.")
    Path socket;

    @Option(names = "--no-token", description = "With --listen, take launch and attach requests without the token. Unsafe on a"
            + " machine others use: any local process, or a web page in your browser, could then run programs through the port.")
    boolean noToken;

    @Option(names = "--async-stacks", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Launch JVMs with the Sonde agent capturing async stacks, appended to stackTrace after a label frame,"
                    + " and load it into JVMs of this machine that an attach reaches; --no-async-stacks turns it off.")
    boolean asyncStacks = true;

    @Option(names = "--allow-remote", description = "Allow a --listen address other than loopback. Whoever reaches the port"
            + " can launch programs and run any code in them.")
    boolean allowRemote;

    @Override
    public Integer call() {
        SondeConfig config = global.loadConfig().config();
        // lsp4j reports a client's leaving as a logged stack trace; Sonde says what matters itself.
        LSP4J_LOG.setLevel(spec.commandLine().getParseResult().hasMatchedOption("--debug") ? Level.ALL : Level.OFF);
        DapOptions options = new DapOptions(config.session().requestTimeout(), config.attach().timeout(),
                config.attach().timeout().plusSeconds(40));
        String java = config.server().java();
        try (ServerManager servers = new ServerManager()) {
            JdiTargets targets = new JdiTargets(servers, JdiOptions.from(config), java == null || java.isBlank() ? null : Path.of(java), asyncStacks);
            DapServer server = new DapServer(targets, options);
            if (listen != null && socket != null) {
                throw SondeException.invalidInput("Give --listen or --socket, not both.");
            }
            if (socket != null) {
                return serveUnixSocket(server);
            }
            if (listen == null) {
                return serveStdio(server);
            }
            String token = noToken ? null : token();
            return serveSocket(new DapServer(targets, options.withLaunchToken(token)), listen, token);
        }
    }

    private int serveStdio(DapServer server) {
        PrintStream protocol = root.out();
        PrintStream previous = System.out;
        // Standard output carries the protocol: anything else printed by mistake goes to standard error.
        System.setOut(System.err);
        try {
            DapConnection connection = server.serve(root.in(), protocol);
            // After a disconnect the session is over: exit, as clients expect of an adapter they started.
            CompletableFuture.anyOf(connection.ended(), connection.disconnected()).join();
            return 0;
        } finally {
            System.setOut(previous);
        }
    }

    /** The token from SONDE_DAP_TOKEN, so editor configurations can read it from there, else a new random one. */
    private static String token() {
        String fixed = System.getenv(TOKEN_VARIABLE);
        if (fixed == null || fixed.isBlank()) {
            return LaunchToken.generate();
        }
        if (fixed.strip().length() < 16) {
            throw SondeException.invalidInput(TOKEN_VARIABLE + " holds a token of fewer than 16 characters; set a longer, random one.");
        }
        return fixed.strip();
    }

    private int serveUnixSocket(DapServer server) {
        try (DapListener listener = DapListener.openUnix(socket, server)) {
            root.out().println("Listening for DAP clients on the Unix socket " + listener.socketPath().orElseThrow()
                    + " (only this user can open it; each connection is a session of its own); Ctrl-C stops.");
            return awaitClose(listener);
        }
    }

    private int awaitClose(DapListener listener) {
        Thread closeOnExit = Thread.ofPlatform().unstarted(listener::close);
        Runtime.getRuntime().addShutdownHook(closeOnExit);
        listener.closed().join();
        return 0;
    }

    private int serveSocket(DapServer server, String where, String token) {
        InetSocketAddress wanted = address(where);
        InetAddress address = BindPolicy.check(wanted.getHostString(), allowRemote);
        try (DapListener listener = DapListener.open(address, wanted.getPort(), server)) {
            InetSocketAddress bound = listener.address();
            root.out().println("Listening for DAP clients on " + bound.getAddress().getHostAddress() + ":" + bound.getPort()
                    + " (each connection is a session of its own); Ctrl-C stops.");
            if (token != null) {
                root.out().println("Launch and attach configurations must carry \"" + LaunchToken.KEY + "\": \"" + token + "\".");
            } else {
                root.err().println("warning: --no-token: any process on this machine that can reach the port, a web page in a"
                        + " browser included, can launch programs through it.");
            }
            if (!address.isLoopbackAddress()) {
                root.err().println("warning: this port accepts anyone who reaches " + address.getHostAddress()
                        + ", and lets them run any code in the programs it debugs.");
            }
            root.out().flush();
            return awaitClose(listener);
        }
    }

    /** {@code PORT}, {@code HOST:PORT} or {@code [V6]:PORT}; port 0 picks a free one. */
    static InetSocketAddress address(String text) {
        String value = text.strip();
        String host = BindPolicy.LOOPBACK;
        String port = value;
        int colon = value.lastIndexOf(':');
        if (colon >= 0) {
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                host = BindPolicy.LOOPBACK;
            }
        }
        try {
            int number = Integer.parseInt(port);
            if (number >= 0 && number <= 65535) {
                return InetSocketAddress.createUnresolved(host, number);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw SondeException.invalidInput("Cannot read --listen '" + text + "'; write PORT or HOST:PORT, with a port from 0 (any free one) to 65535.");
    }
}
