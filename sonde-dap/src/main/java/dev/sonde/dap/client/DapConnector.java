package dev.sonde.dap.client;

import dev.sonde.core.backend.Connectors;
import dev.sonde.core.backend.EarlyOutput;
import dev.sonde.core.backend.Backend;
import dev.sonde.core.backend.Connector;
import dev.sonde.core.backend.TargetInfo;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.PythonFinder;
import dev.sonde.core.launch.PythonLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Connects the DAP client backend to a DAP server: attach to one that listens (debugpy started with
 * {@code --listen}), or start a Python script under debugpy and attach to it.
 *
 * <p>The handshake: {@code initialize}; {@code attach} (whose answer debugpy sends only after
 * {@code configurationDone}, so it is not waited for); the server's {@code initialized} event. The configuration
 * phase then stays open until the session's first resume (see {@link DapClientBackend}).
 */
public final class DapConnector {

    private DapConnector() {
    }

    /**
     * Attaches to the DAP server at {@code address}, retrying with backoff while nothing listens there yet, for up to
     * {@link DapClientOptions#attachTimeout()}.
     */
    public static Connector attach(HostPort address, DapClientOptions options) {
        return () -> async("attach " + address, () -> {
            DapChannel channel = DapChannel.connect(address, options.attachTimeout(), options.requestTimeout());
            try {
                return handshake(channel, null, null, List.of(Path.of("").toAbsolutePath()), options);
            } catch (RuntimeException e) {
                channel.close();
                throw e;
            }
        });
    }

    /**
     * Starts a Python script under debugpy with a debug server of {@code servers}, and attaches to it. The script
     * waits for the session's first resume; the backend owns the server: ending the session ends the script, and its
     * output becomes session events.
     */
    public static Connector launch(PythonLaunchSpec spec, ServerManager servers, DapClientOptions options) {
        return () -> async("launch", () -> {
            PythonFinder.Python python = PythonFinder.find(spec.pythonExecutable());
            EarlyOutput output = new EarlyOutput();
            DebugServer server = servers.start(spec.withPython(python.executable()), output);
            DapClientBackend created;
            try {
                DapChannel channel = DapChannel.connect(server.address(), options.attachTimeout(), options.requestTimeout());
                try {
                    Path workingDirectory = spec.workingDirectory() == null ? Path.of("").toAbsolutePath() : spec.workingDirectory();
                    created = handshake(channel, server, python.describe(), List.of(spec.scriptPath().getParent(), workingDirectory), options);
                } catch (RuntimeException e) {
                    channel.close();
                    throw e;
                }
            } catch (RuntimeException e) {
                server.kill();
                throw e;
            }
            output.deliverTo(created::output);
            return created;
        });
    }

    private static DapClientBackend handshake(DapChannel channel, DebugServer server, String description, List<Path> sourceRoots,
                                              DapClientOptions options) {
        HostPort address = channel.address();
        // Something that is no DAP server may never answer: do not wait as long as for a request.
        Duration patience = options.requestTimeout().compareTo(options.attachTimeout()) < 0 ? options.requestTimeout() : options.attachTimeout();
        Capabilities capabilities;
        try {
            capabilities = channel.call("initialize the session", remote -> remote.initialize(initializeArguments()), patience);
        } catch (DapChannel.Refused refused) {
            throw new SondeException(ErrorKind.CONNECTION, "The debug server at " + address + " refused the session: "
                    + refused.serverMessage() + ".");
        } catch (SondeException e) {
            if (e.kind() == ErrorKind.TARGET_GONE || e.kind() == ErrorKind.TIMEOUT) {
                throw new SondeException(ErrorKind.CONNECTION, address + " did not answer as a DAP server; check the port"
                        + " (a JVM's debug port takes `sonde attach` without --dap).", e);
            }
            throw e;
        }
        if (capabilities == null) {
            capabilities = new Capabilities();
        }
        CompletableFuture<Void> attached = channel.send(remote -> remote.attach(attachArguments(options)));
        awaitInitialized(channel, attached, patience);
        boolean configuring = Boolean.TRUE.equals(capabilities.getSupportsConfigurationDoneRequest());
        Map<Long, String> threads = new LinkedHashMap<>();
        if (configuring) {
            org.eclipse.lsp4j.debug.Thread[] known = channel.call("list the threads", remote -> remote.threads()).getThreads();
            for (org.eclipse.lsp4j.debug.Thread thread : known == null ? new org.eclipse.lsp4j.debug.Thread[0] : known) {
                threads.put((long) thread.getId(), thread.getName() == null ? "" : thread.getName());
            }
        }
        String debugpy = channel.debugpyVersion();
        String kind = description != null || debugpy != null ? "python" : "dap";
        String what = description != null ? description : debugpy != null ? "debugpy " + debugpy : "DAP server";
        TargetInfo target = new TargetInfo(kind, what, address.toString(), server == null ? -1 : server.pid());
        return new DapClientBackend(channel, capabilities, target, server, configuring, threads, sourceRoots, attached, options);
    }

    private static void awaitInitialized(DapChannel channel, CompletableFuture<Void> attached, Duration patience) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        channel.initialized().whenComplete((done, failure) -> {
            if (failure != null) {
                ready.completeExceptionally(failure);
            } else {
                ready.complete(null);
            }
        });
        attached.whenComplete((done, failure) -> {
            if (failure != null) {
                ready.completeExceptionally(failure);
            }
        });
        try {
            ready.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SondeException(ErrorKind.CONNECTION, "The debug server at " + channel.address() + " did not get ready within "
                    + patience.toSeconds() + " s of the attach; check that it debugs a live program.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SondeException.badState("Interrupted while attaching to " + channel.address() + ".");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SondeException sonde) {
                throw sonde;
            }
            throw new SondeException(ErrorKind.CONNECTION, "The debug server at " + channel.address() + " refused to attach: "
                    + DapChannel.oneSentence(cause.getMessage()) + ".", cause);
        }
    }

    private static InitializeRequestArguments initializeArguments() {
        InitializeRequestArguments args = new InitializeRequestArguments();
        args.setClientID("sonde");
        args.setClientName("Sonde");
        args.setAdapterID("sonde");
        args.setPathFormat("path");
        args.setLinesStartAt1(true);
        args.setColumnsStartAt1(true);
        args.setSupportsVariableType(true);
        args.setSupportsRunInTerminalRequest(false);
        return args;
    }

    /** debugpy's attach arguments; other DAP servers ignore what they do not know. */
    private static Map<String, Object> attachArguments(DapClientOptions options) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("name", "Sonde");
        args.put("justMyCode", options.justMyCode());
        return args;
    }

    private static CompletableFuture<Backend> async(String what, Supplier<Backend> work) {
        return Connectors.async(what, work, SondeException::from);
    }
}
