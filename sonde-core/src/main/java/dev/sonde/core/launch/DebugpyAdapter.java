package dev.sonde.core.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The debug adapter that {@code python -m debugpy --listen} starts beside the script, and what Sonde needs to know
 * about it.
 *
 * <p>Readiness: debugpy prints nothing when it listens, and a TCP probe of its port is not harmless (the adapter
 * takes any connection for a client, and the next debugger to come is not answered), so Sonde asks the adapter to
 * write its endpoints to a file ({@code DEBUGPY_ADAPTER_ENDPOINTS}), which it does once it listens and deletes when
 * it exits.
 *
 * <p>Cleanup: the adapter daemonizes (setsid and a double fork), so it is no descendant of the script. It is found
 * by its command line, which names the port it listens on, and stopped with the script.
 */
final class DebugpyAdapter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final Path endpoints;
    private volatile ProcessHandle process;

    private DebugpyAdapter(Path endpoints) {
        this.endpoints = endpoints;
    }

    /** An adapter to be: the file it will write its endpoints to (empty until then) is made now. */
    static DebugpyAdapter prepare() {
        try {
            return new DebugpyAdapter(Files.createTempFile("sonde-debugpy-", ".json"));
        } catch (IOException e) {
            throw new SondeException(ErrorKind.INTERNAL, "Cannot create a temporary file for debugpy (" + e.getMessage()
                    + "); check that the temporary directory is writable.", e);
        }
    }

    /** What the script's environment needs for the adapter to report its endpoints, and for its output to flow at once. */
    Map<String, String> environment() {
        return Map.of("DEBUGPY_ADAPTER_ENDPOINTS", endpoints.toString(),
                // Piped output would otherwise reach Sonde only when Python's buffer fills or the script ends.
                "PYTHONUNBUFFERED", "1",
                // debugpy warns about frozen modules even when they are off; the warning helps nobody here.
                "PYDEVD_DISABLE_FILE_VALIDATION", "1");
    }

    /** The port the adapter listens on for debuggers, once it does. */
    OptionalInt clientPort() {
        try {
            if (!Files.isRegularFile(endpoints) || Files.size(endpoints) == 0) {
                return OptionalInt.empty();
            }
            JsonNode port = JSON.readTree(endpoints.toFile()).path("client").path("port");
            return port.isInt() ? OptionalInt.of(port.asInt()) : OptionalInt.empty();
        } catch (IOException halfWritten) {
            return OptionalInt.empty();
        }
    }

    /** Whether the adapter is still there to take debuggers (it deletes its endpoints file as it exits). */
    boolean listening() {
        return clientPort().isPresent();
    }

    /**
     * Looks for the adapter process that listens on {@code port}, started by {@code script}. The adapter's first
     * process forks and exits as the second takes over, so the one still a child of the script is not it.
     */
    void find(int port, ProcessHandle script) {
        String portArgument = Integer.toString(port);
        Instant notBefore = script.info().startInstant().orElse(Instant.EPOCH);
        process = ProcessHandle.allProcesses()
                .filter(p -> p.info().startInstant().map(start -> !start.isBefore(notBefore)).orElse(false))
                .filter(p -> p.parent().map(parent -> parent.pid() != script.pid()).orElse(true))
                .filter(p -> isAdapterFor(p.info().arguments().orElse(new String[0]), portArgument))
                .findFirst().orElse(null);
    }

    static boolean isAdapterFor(String[] arguments, String port) {
        List<String> args = List.of(arguments);
        int portFlag = args.indexOf("--port");
        return args.contains("--for-server") && portFlag >= 0 && portFlag + 1 < args.size() && args.get(portFlag + 1).equals(port)
                && args.stream().anyMatch(a -> a.contains("debugpy"));
    }

    /** The adapter's process id, once found. */
    long pid() {
        ProcessHandle adapter = process;
        return adapter == null ? -1 : adapter.pid();
    }

    /**
     * Stops the adapter: at once when {@code grace} is zero, else after it had {@code grace} to leave on its own (it
     * does once the script has gone and its debuggers have disconnected, deleting its endpoints file). Then removes
     * the endpoints file if the adapter did not.
     */
    void stop(Duration grace) {
        ProcessHandle adapter = process;
        if (adapter != null && adapter.isAlive()) {
            try {
                if (!grace.isZero()) {
                    adapter.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception stillThere) {
                // ended below
            }
            if (adapter.isAlive()) {
                adapter.destroy();
                try {
                    adapter.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception stillThere) {
                    adapter.destroyForcibly();
                }
            }
        }
        try {
            Files.deleteIfExists(endpoints);
        } catch (IOException ignored) {
            // a file in the temporary directory; the system cleans those up
        }
    }
}
