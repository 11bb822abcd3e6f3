package dev.sonde.core.launch;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.OutputCategory;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The debug servers started by this process. Each server is forgotten when its debuggee exits, and
 * every one still running is stopped when this process shuts down (Ctrl-C included), so no debuggee
 * outlives its Sonde.
 */
public final class ServerManager implements AutoCloseable {

    private final Map<String, DebugServer> servers = new ConcurrentHashMap<>();
    private final Thread shutdownHook = Thread.ofPlatform().name("sonde-server-shutdown").unstarted(this::stopAll);
    private volatile boolean hookInstalled;

    /** Starts a debuggee (see {@link DebugServer#start}) and keeps track of it. */
    public DebugServer start(LaunchSpec spec, BiConsumer<OutputCategory, String> output) {
        installShutdownHook();
        DebugServer server = DebugServer.start(spec, output);
        servers.put(server.id(), server);
        server.exit().whenComplete((code, failure) -> servers.remove(server.id()));
        return server;
    }

    /** Servers whose debuggee is still running, oldest first. */
    public List<DebugServer> list() {
        return servers.values().stream()
                .filter(DebugServer::isAlive)
                .sorted(Comparator.comparingLong(s -> Long.parseLong(s.id())))
                .toList();
    }

    public Optional<DebugServer> find(String id) {
        return Optional.ofNullable(servers.get(id));
    }

    /** Stops one server by id. */
    public void stop(String id) {
        DebugServer server = servers.remove(id);
        if (server == null) {
            throw SondeException.notFound("There is no debug server " + id + "; list the running ones first.");
        }
        server.stop();
    }

    /** Stops every server this manager started. */
    public void stopAll() {
        List<DebugServer> all = List.copyOf(servers.values());
        servers.clear();
        all.parallelStream().forEach(DebugServer::stop);
    }

    private void installShutdownHook() {
        if (!hookInstalled) {
            synchronized (this) {
                if (!hookInstalled) {
                    Runtime.getRuntime().addShutdownHook(shutdownHook);
                    hookInstalled = true;
                }
            }
        }
    }

    /** Stops every server and removes the shutdown hook. */
    @Override
    public void close() {
        stopAll();
        if (hookInstalled) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to; it does the same work
            }
        }
    }
}
