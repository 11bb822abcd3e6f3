package dev.sonde.core.launch;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.OutputCategory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One debuggee started under its debug agent, listening for a debugger. {@link #start} returns once
 * the port is ready; {@link #stop()} ends the process and anything it started, so nothing is orphaned.
 */
public final class DebugServer implements AutoCloseable {

    /** What runtime the debuggee is. */
    public enum Kind {
        JVM
    }

    /** How a server is doing. */
    public record Health(Status status, String detail) {
        public enum Status {
            /** The port answers the debug handshake; no debugger is attached. */
            LISTENING,
            /** The debuggee is held before running any code, waiting for its first debugger. */
            WAITING_FOR_DEBUGGER,
            /** The debuggee runs and its agent is busy with a debugger (the port takes one at a time). */
            ATTACHED,
            /** The process has ended. */
            EXITED
        }
    }

    private static final Pattern LISTENING = Pattern.compile("Listening for transport dt_socket at address: (?:.*:)?(\\d+)\\s*");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);
    private static final AtomicLong IDS = new AtomicLong();

    private final String id;
    private final Kind kind;
    private final LaunchSpec spec;
    private final Process process;
    private final BiConsumer<OutputCategory, String> output;
    private final CompletableFuture<Integer> listeningPort = new CompletableFuture<>();
    private final CompletableFuture<Void> stdoutDone = new CompletableFuture<>();
    private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();
    private final Deque<String> earlyErrors = new ArrayDeque<>();
    private volatile HostPort address;

    private DebugServer(Kind kind, LaunchSpec spec, Process process, BiConsumer<OutputCategory, String> output) {
        this.id = Long.toString(IDS.incrementAndGet());
        this.kind = kind;
        this.spec = spec;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts a debuggee and waits until its debug port is ready: the agent has announced the port and,
     * unless the debuggee is held for its first debugger, answered the JDWP handshake.
     *
     * @param output receives the debuggee's standard output and error as they come, in chunks
     */
    public static DebugServer start(LaunchSpec spec, BiConsumer<OutputCategory, String> output) {
        return switch (spec) {
            case JvmLaunchSpec jvm -> startJvm(jvm, output);
        };
    }

    private static DebugServer startJvm(JvmLaunchSpec spec, BiConsumer<OutputCategory, String> output) {
        var bind = BindPolicy.check(spec.bindAddress(), spec.allowRemote());
        if (!BindPolicy.isWildcard(spec.bindAddress())) {
            BindPolicy.requireFree(bind, spec.port());
        }
        List<String> command = JvmCommandLine.build(spec);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (spec.workingDirectory() != null) {
            builder.directory(spec.workingDirectory().toFile());
        }
        builder.environment().putAll(spec.environment());
        builder.redirectInput(spec.inheritStdin() ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new SondeException(ErrorKind.INVALID_INPUT, "Cannot start " + command.get(0) + " (" + e.getMessage()
                    + "); check the java executable and working directory.", e);
        }
        if (!spec.inheritStdin()) {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // the debuggee sees end of input either way
            }
        }
        DebugServer server = new DebugServer(Kind.JVM, spec, process, output);
        server.pump();
        server.awaitReady(spec);
        return server;
    }

    private void pump() {
        Charset charset = Charset.defaultCharset();
        Thread.ofPlatform().daemon().name("sonde-debuggee-" + id + "-stdout").start(() ->
                readStdout(new BufferedReader(new InputStreamReader(process.getInputStream(), charset))));
        Thread.ofPlatform().daemon().name("sonde-debuggee-" + id + "-stderr").start(() ->
                readStderr(new InputStreamReader(process.getErrorStream(), charset)));
        process.onExit().thenRun(() -> listeningPort.completeExceptionally(new IllegalStateException("exited")));
    }

    private void readStdout(BufferedReader reader) {
        try {
            String line;
            while (!listeningPort.isDone() && (line = reader.readLine()) != null) {
                Matcher announced = LISTENING.matcher(line);
                if (announced.matches()) {
                    listeningPort.complete(Integer.parseInt(announced.group(1)));
                } else {
                    output.accept(OutputCategory.STDOUT, line + System.lineSeparator());
                }
            }
            copy(reader, OutputCategory.STDOUT);
        } catch (IOException ignored) {
            // the process is gone; its exit is reported elsewhere
        } finally {
            stdoutDone.complete(null);
        }
    }

    private void readStderr(Reader reader) {
        try {
            char[] buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                String chunk = new String(buffer, 0, n);
                if (!listeningPort.isDone() || listeningPort.isCompletedExceptionally()) {
                    rememberEarlyError(chunk);
                }
                output.accept(OutputCategory.STDERR, chunk);
            }
        } catch (IOException ignored) {
            // the process is gone
        } finally {
            stderrDone.complete(null);
        }
    }

    private void copy(Reader reader, OutputCategory category) throws IOException {
        char[] buffer = new char[8192];
        int n;
        while ((n = reader.read(buffer)) >= 0) {
            output.accept(category, new String(buffer, 0, n));
        }
    }

    private void rememberEarlyError(String chunk) {
        synchronized (earlyErrors) {
            for (String line : chunk.split("\\R")) {
                if (!line.isBlank()) {
                    earlyErrors.add(line.strip());
                }
                if (earlyErrors.size() > 20) {
                    earlyErrors.removeFirst();
                }
            }
        }
    }

    private void awaitReady(LaunchSpec launch) {
        int port;
        try {
            port = listeningPort.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop();
            throw SondeException.timeout("The debuggee did not open its debug port within " + START_TIMEOUT.toSeconds()
                    + " s; check the java arguments and that the machine is not overloaded.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw SondeException.badState("Interrupted while starting the debuggee.");
        } catch (Exception e) {
            stop();
            throw failedToStart();
        }
        String host = BindPolicy.isWildcard(launch.bindAddress()) ? BindPolicy.LOOPBACK : launch.bindAddress();
        address = new HostPort(host, port);
        if (!launch.suspend()) {
            awaitHandshake();
        }
    }

    private void awaitHandshake() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (JdwpHandshake.probe(address, Duration.ofSeconds(2)) == JdwpHandshake.Result.ANSWERED) {
                return;
            }
            if (!process.isAlive()) {
                throw failedToStart();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stop();
        throw SondeException.timeout("The debuggee's port " + address + " never answered the JDWP handshake; check for a firewall or another debugger.");
    }

    private SondeException failedToStart() {
        try {
            stderrDone.get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // report what we have
        }
        String why;
        synchronized (earlyErrors) {
            why = earlyErrors.stream()
                    .filter(l -> !l.startsWith("Listening for transport"))
                    .reduce((a, b) -> a + " " + b).orElse("no error output");
        }
        Integer code = process.isAlive() ? null : process.exitValue();
        if (why.contains("Address already in use") || why.contains("bind failed")) {
            return new SondeException(ErrorKind.CONNECTION, "Port " + spec.port() + " on " + spec.bindAddress()
                    + " is already in use; choose another with --port, or --port 0 to pick a free one.");
        }
        return new SondeException(ErrorKind.INVALID_INPUT, "The debuggee exited" + (code == null ? "" : " with code " + code)
                + " before its debug port opened: " + why);
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public LaunchSpec spec() {
        return spec;
    }

    /** Where debuggers connect. */
    public HostPort address() {
        return address;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit code when the debuggee ends. */
    public CompletableFuture<Integer> exit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /** Completes once all of the debuggee's output has been passed on (after it exits). */
    public CompletableFuture<Void> outputDrained() {
        return CompletableFuture.allOf(stdoutDone, stderrDone);
    }

    /**
     * Checks the server now. A debuggee held for its first debugger is not probed, because a probe would
     * count as that debugger and release it.
     */
    public Health health() {
        if (!process.isAlive()) {
            return new Health(Health.Status.EXITED, "exited with code " + process.exitValue());
        }
        return switch (JdwpHandshake.probe(address, Duration.ofSeconds(1))) {
            case ANSWERED -> new Health(Health.Status.LISTENING, "answers the JDWP handshake at " + address);
            case REFUSED, NOT_JDWP -> spec.suspend()
                    ? new Health(Health.Status.WAITING_FOR_DEBUGGER, "held before main, or a debugger is attached at " + address)
                    : new Health(Health.Status.ATTACHED, "a debugger holds the agent's only connection at " + address);
        };
    }

    /**
     * Ends the debuggee and every process it started: politely first, then forcibly after a short grace.
     * Safe to call more than once.
     */
    public void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** Ends the debuggee at once, without the grace period (for a target held by a debugger, which cannot shut down cleanly). */
    public void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "DebugServer[" + id + " " + kind + " pid " + pid() + " at " + address + "]";
    }
}
