package dev.sonde.core.launch;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.OutputCategory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One debuggee started under its debug agent, listening for a debugger. {@link #start} returns once
 * the port is ready; {@link #stop()} ends the process and anything it started, so nothing is orphaned.
 */
public final class DebugServer implements AutoCloseable {

    /** What runtime the debuggee is. */
    public enum Kind {
        JVM,
        /** A Python script under debugpy, which speaks DAP. */
        PYTHON
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
    /** The same announcement inside a chunk of output: the agent repeats it each time a debugger leaves. */
    private static final Pattern ANNOUNCEMENT = Pattern.compile("Listening for transport dt_socket at address: \\S+\\R?");
    /** How long the agent may take to listen again after the readiness probe leaves. */
    private static final Duration RELISTEN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);
    private static final AtomicLong IDS = new AtomicLong();

    private final String id;
    private final Kind kind;
    private final LaunchSpec spec;
    /** The port the agent was told to listen on. */
    private final int port;
    private final Process process;
    private final BiConsumer<OutputCategory, String> output;
    private final CompletableFuture<Integer> listeningPort = new CompletableFuture<>();
    private final CompletableFuture<Void> stdoutDone = new CompletableFuture<>();
    private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();
    private final Deque<String> earlyErrors = new ArrayDeque<>();
    // Guarded by itself: how many times the agent has announced that it listens.
    private final int[] announcements = new int[1];
    /** The adapter beside a Python debuggee; null for a JVM. */
    private final DebugpyAdapter debugpy;
    private volatile HostPort address;
    /** Where a detached debuggee writes its output; null for one tied to this process. */
    private final Path detachedLog;

    private DebugServer(Kind kind, LaunchSpec spec, int port, Process process, BiConsumer<OutputCategory, String> output,
                        DebugpyAdapter debugpy, Path detachedLog) {
        this.id = Long.toString(IDS.incrementAndGet());
        this.kind = kind;
        this.spec = spec;
        this.port = port;
        this.process = process;
        this.output = output;
        this.debugpy = debugpy;
        this.detachedLog = detachedLog;
    }

    /** Starts a tied debuggee, or a detached one writing its output to {@code detachedLog}. */
    private static Process spawn(ProcessBuilder builder, Path detachedLog) throws IOException {
        if (detachedLog == null) {
            return TiedProcesses.start(builder);
        }
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(detachedLog.toFile()));
        builder.redirectError(ProcessBuilder.Redirect.appendTo(detachedLog.toFile()));
        return builder.start();
    }

    /** The debuggee's standard output as it comes: from its pipe, or from its log when detached. */
    private InputStream standardOutput() {
        if (detachedLog == null) {
            return process.getInputStream();
        }
        try {
            return new LogTail(detachedLog, process);
        } catch (IOException e) {
            return InputStream.nullInputStream();
        }
    }

    /**
     * Starts a debuggee and waits until its debug port is ready: for a JVM, the agent has announced the port and,
     * unless the debuggee is held for its first debugger, answered the JDWP handshake; for Python, debugpy's adapter
     * listens and the script waits for its first debugger.
     *
     * @param output receives the debuggee's standard output and error as they come, in chunks
     */
    public static DebugServer start(LaunchSpec spec, BiConsumer<OutputCategory, String> output) {
        return start(spec, null, output);
    }

    /**
     * Starts a debuggee that outlives this process ({@code sonde launch --detach}): it is not tied to Sonde (see
     * {@link TiedProcesses}), does not read Sonde's input, and writes its output to {@code log}, so it never writes
     * to a pipe nobody reads. Returns once its debug port is ready, as {@link #start} does.
     */
    public static DebugServer startDetached(LaunchSpec spec, Path log) {
        LaunchSpec withoutInput = switch (spec) {
            case JvmLaunchSpec jvm -> jvm.withInheritStdin(false);
            case PythonLaunchSpec python -> python.withInheritStdin(false);
        };
        return start(withoutInput, log, (category, text) -> { });
    }

    private static DebugServer start(LaunchSpec spec, Path detachedLog, BiConsumer<OutputCategory, String> output) {
        return switch (spec) {
            case JvmLaunchSpec jvm -> startJvm(jvm, detachedLog, output);
            case PythonLaunchSpec python -> startPython(python, detachedLog, output);
        };
    }

    private static DebugServer startJvm(JvmLaunchSpec spec, Path detachedLog, BiConsumer<OutputCategory, String> output) {
        // Told port 0, the agent would listen on a new port each time a debugger leaves (our readiness probe
        // included), so the reported address would go stale: pick the port here and give it to the agent.
        return startOnPort(spec, port -> launchJvm(spec, port, detachedLog, output), server -> server.awaitReady(spec));
    }

    /**
     * Starts a debuggee on the given port, or on a free one for port 0, and waits until it is ready. Another process may
     * take a free port between our check and the debuggee's bind: then another is tried. A start that fails in any way
     * leaves no process behind.
     */
    private static DebugServer startOnPort(LaunchSpec spec, IntFunction<DebugServer> launch, Consumer<DebugServer> ready) {
        InetAddress bind = BindPolicy.check(spec.bindAddress(), spec.allowRemote());
        if (!BindPolicy.isWildcard(spec.bindAddress())) {
            BindPolicy.requireFree(bind, spec.port());
        }
        int requestedPort = spec.port();
        int attempts = requestedPort == 0 ? 3 : 1;
        for (int attempt = 1; ; attempt++) {
            int port = requestedPort == 0 ? BindPolicy.freePort(bind) : requestedPort;
            DebugServer server = launch.apply(port);
            try {
                ready.accept(server);
                return server;
            } catch (SondeException e) {
                if (e.kind() != ErrorKind.CONNECTION || attempt >= attempts || server.process.isAlive()) {
                    server.stop();
                    throw e;
                }
            } catch (RuntimeException | Error unexpected) {
                server.stop();
                throw unexpected;
            }
        }
    }

    private static DebugServer launchJvm(JvmLaunchSpec spec, int port, Path detachedLog, BiConsumer<OutputCategory, String> output) {
        List<String> command = JvmCommandLine.build(spec.withBind(spec.bindAddress(), port, spec.allowRemote()));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (spec.workingDirectory() != null) {
            builder.directory(spec.workingDirectory().toFile());
        }
        builder.environment().putAll(spec.environment());
        builder.redirectInput(spec.inheritStdin() ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
        Process process;
        try {
            process = spawn(builder, detachedLog);
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
        DebugServer server = new DebugServer(Kind.JVM, spec, port, process, output, null, detachedLog);
        server.pump();
        return server;
    }

    private static DebugServer startPython(PythonLaunchSpec spec, Path detachedLog, BiConsumer<OutputCategory, String> output) {
        PythonFinder.Python python = PythonFinder.find(spec.pythonExecutable());
        // The port is picked here, not by debugpy, because the adapter is found by the port on its command line.
        return startOnPort(spec, port -> launchPython(spec, python, port, detachedLog, output), DebugServer::awaitDebugpy);
    }

    private static DebugServer launchPython(PythonLaunchSpec spec, PythonFinder.Python python, int port, Path detachedLog,
                                            BiConsumer<OutputCategory, String> output) {
        List<String> command = spec.commandLine(python.executable(), port);
        DebugpyAdapter debugpy = DebugpyAdapter.prepare();
        ProcessBuilder builder = new ProcessBuilder(command);
        if (spec.workingDirectory() != null) {
            builder.directory(spec.workingDirectory().toFile());
        }
        builder.environment().putAll(spec.environment());
        builder.environment().putAll(debugpy.environment());
        builder.redirectInput(spec.inheritStdin() ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
        Process process;
        try {
            process = spawn(builder, detachedLog);
        } catch (IOException e) {
            debugpy.stop(Duration.ZERO);
            throw new SondeException(ErrorKind.INVALID_INPUT, "Cannot start " + command.get(0) + " (" + e.getMessage()
                    + "); check the Python executable and working directory.", e);
        }
        if (!spec.inheritStdin()) {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // the debuggee sees end of input either way
            }
        }
        DebugServer server = new DebugServer(Kind.PYTHON, spec, port, process, output, debugpy, detachedLog);
        server.pumpPython();
        // Once the script has gone, the adapter leaves as soon as its debuggers have; one that stays is stopped.
        process.onExit().thenRunAsync(() -> debugpy.stop(STOP_GRACE));
        return server;
    }

    private void pumpPython() {
        Charset charset = Charset.defaultCharset();
        Thread.ofPlatform().daemon().name("sonde-debuggee-" + id + "-stdout").start(() -> {
            try (Reader reader = new InputStreamReader(standardOutput(), charset)) {
                char[] buffer = new char[8192];
                int n;
                while ((n = reader.read(buffer)) >= 0) {
                    output.accept(OutputCategory.STDOUT, new String(buffer, 0, n));
                }
            } catch (IOException ignored) {
                // the process is gone; its exit is reported elsewhere
            } finally {
                stdoutDone.complete(null);
            }
        });
        Thread.ofPlatform().daemon().name("sonde-debuggee-" + id + "-stderr").start(() ->
                readStderr(new InputStreamReader(process.getErrorStream(), charset)));
        process.onExit().thenRun(() -> listeningPort.completeExceptionally(new IllegalStateException("exited")));
    }

    /** Waits until debugpy's adapter has written its endpoints: it listens then, and the script waits for a debugger. */
    private void awaitDebugpy() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            OptionalInt clientPort = debugpy.clientPort();
            if (clientPort.isPresent()) {
                listeningPort.complete(clientPort.getAsInt());
                String host = BindPolicy.isWildcard(spec.bindAddress()) ? BindPolicy.LOOPBACK : spec.bindAddress();
                address = new HostPort(host, clientPort.getAsInt());
                debugpy.find(clientPort.getAsInt(), process.toHandle());
                return;
            }
            if (!process.isAlive()) {
                throw failedToStart();
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw SondeException.timeout("debugpy did not listen within " + START_TIMEOUT.toSeconds()
                        + " s; check the script and the Python, and that the machine is not overloaded.");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw SondeException.badState("Interrupted while starting the debuggee.");
            }
        }
    }

    private void pump() {
        Charset charset = Charset.defaultCharset();
        Thread.ofPlatform().daemon().name("sonde-debuggee-" + id + "-stdout").start(() ->
                readStdout(new BufferedReader(new InputStreamReader(standardOutput(), charset))));
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
                    announced(1);
                    listeningPort.complete(Integer.parseInt(announced.group(1)));
                } else {
                    output.accept(OutputCategory.STDOUT, line + System.lineSeparator());
                }
            }
            char[] buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                // The agent announces its port again whenever a debugger leaves: that is not the debuggee's output.
                String chunk = new String(buffer, 0, n);
                Matcher again = ANNOUNCEMENT.matcher(chunk);
                int found = 0;
                while (again.find()) {
                    found++;
                }
                if (found > 0) {
                    chunk = again.replaceAll("");
                    announced(found);
                }
                if (!chunk.isEmpty()) {
                    output.accept(OutputCategory.STDOUT, chunk);
                }
            }
        } catch (IOException ignored) {
            // the process is gone; its exit is reported elsewhere
        } finally {
            stdoutDone.complete(null);
        }
    }

    private void announced(int times) {
        synchronized (announcements) {
            announcements[0] += times;
            announcements.notifyAll();
        }
    }

    private int announcements() {
        synchronized (announcements) {
            return announcements[0];
        }
    }

    /** Waits until the agent has announced its port more than {@code seen} times, or the timeout passes. */
    private void awaitAnnouncement(int seen, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (announcements) {
            while (announcements[0] <= seen && process.isAlive()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                try {
                    announcements.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
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
            int seen = announcements();
            JdwpHandshake.Result probe = JdwpHandshake.probe(address, Duration.ofSeconds(2));
            if (probe == JdwpHandshake.Result.ANSWERED) {
                // The agent took the probe for a debugger; once it has left, it listens again and says so.
                awaitAnnouncement(seen, RELISTEN_TIMEOUT);
                return;
            }
            if (!process.isAlive()) {
                throw failedToStart();
            }
            if (probe == JdwpHandshake.Result.REFUSED) {
                // The agent announced the port after it began to listen, and stops listening only while a debugger
                // is connected: a debugger that was waiting for this port got there first. The port works.
                return;
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
        if (kind == Kind.PYTHON) {
            // A Python failure ends with the exception's own line: that is the sentence worth showing.
            synchronized (earlyErrors) {
                why = earlyErrors.isEmpty() ? "no error output" : earlyErrors.getLast();
            }
        }
        if (why.contains("Address already in use") || why.contains("bind failed")) {
            return new SondeException(ErrorKind.CONNECTION, "Port " + port + " on " + spec.bindAddress()
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

    /**
     * The address the debug port is bound to, as the kernel reports it ({@code 127.0.0.1:5005}, {@code 0.0.0.0:5005},
     * {@code [::]:5005}), which for a wildcard bind is not where debuggers connect ({@link #address()}). Where the
     * kernel's tables cannot be read, the configured bind address.
     */
    public String boundAddress() {
        long listener = kind == Kind.PYTHON && adapterPid() > 0 ? adapterPid() : pid();
        return ListeningSockets.on(listener, address.port()).map(ListeningSockets::describe)
                .orElseGet(() -> new HostPort(spec.bindAddress().equals("*") ? "0.0.0.0" : spec.bindAddress(), address.port()).toString());
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
        if (kind == Kind.PYTHON) {
            // Never probed: debugpy's adapter would take the probe for its debugger (see DebugpyAdapter).
            return debugpy.listening()
                    ? new Health(Health.Status.WAITING_FOR_DEBUGGER, "debugpy listens at " + address
                            + "; the script waits for its first debugger, or one is attached")
                    : new Health(Health.Status.ATTACHED, "debugpy's adapter has gone; no debugger can attach at " + address);
        }
        if (spec.suspend() && announcements() <= 1) {
            // No debugger has come and gone yet: the debuggee is held, or its first debugger is attached.
            return new Health(Health.Status.WAITING_FOR_DEBUGGER, "held before main, or a debugger is attached at " + address);
        }
        return switch (JdwpHandshake.probe(address, Duration.ofSeconds(1))) {
            case ANSWERED -> new Health(Health.Status.LISTENING, "answers the JDWP handshake at " + address);
            case REFUSED, NOT_JDWP -> new Health(Health.Status.ATTACHED, "a debugger holds the agent's only connection at " + address);
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
        if (debugpy != null) {
            debugpy.stop(Duration.ZERO);
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
        if (debugpy != null) {
            debugpy.stop(Duration.ZERO);
        }
    }

    /** The process id of debugpy's adapter beside a Python debuggee, or -1 (a JVM, or an adapter not found). */
    public long adapterPid() {
        return debugpy == null ? -1 : debugpy.pid();
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
