package dev.sonde.core.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts debuggees that end with this process, however it ends (SIGKILL included), so none is left listening on a
 * debug port for anyone to attach to.
 *
 * <p>Why this way: shutdown hooks do not run on SIGKILL, and a watchdog (a thread in each debuggee, or a process per
 * session polling our pid) would need one implementation per runtime (a JVM agent, a Python hook) or a polling
 * delay. Linux's {@code PR_SET_PDEATHSIG} works for every runtime and acts at once, and util-linux's {@code setpriv
 * --pdeathsig KILL} (in Debian's essential util-linux) sets it for the command it then executes, keeping its pid.
 * Its one pitfall: the "parent" is the thread that forked, not the process, so a debuggee started from a
 * short-lived thread (a request handler, a virtual thread's carrier) would be killed when that thread ends. Every
 * start therefore happens on one platform thread that lives as long as this JVM.
 *
 * <p>Where {@code setpriv} is missing (not Linux), processes start plainly: shutdown hooks still stop them on a
 * normal exit, Ctrl-C and SIGTERM.
 */
public final class TiedProcesses {

    private static final Optional<Path> SETPRIV = findSetpriv();
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(task ->
            Thread.ofPlatform().daemon().name("sonde-debuggee-spawner").unstarted(task));

    private TiedProcesses() {
    }

    /** Whether processes started here are killed when this process dies by any signal. */
    public static boolean tied() {
        return SETPRIV.isPresent();
    }

    /**
     * Starts {@code builder}'s command so that it receives SIGKILL when this process dies. The builder's command is
     * left as it was.
     */
    static Process start(ProcessBuilder builder) throws IOException {
        List<String> command = builder.command();
        List<String> tied = SETPRIV.map(setpriv -> wrap(setpriv, command)).orElse(command);
        ProcessBuilder copy = new ProcessBuilder(tied)
                .directory(builder.directory())
                .redirectInput(builder.redirectInput())
                .redirectOutput(builder.redirectOutput())
                .redirectError(builder.redirectError())
                .redirectErrorStream(builder.redirectErrorStream());
        copy.environment().clear();
        copy.environment().putAll(builder.environment());
        Future<Process> started = SPAWNER.submit(copy::start);
        // A start takes milliseconds and cannot be stopped half-way; waiting through an interrupt keeps its process
        // from being lost.
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return started.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static List<String> wrap(Path setpriv, List<String> command) {
        List<String> tied = new ArrayList<>(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--"));
        tied.addAll(command);
        return tied;
    }

    private static Optional<Path> findSetpriv() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.empty();
        }
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv")));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, "setpriv"));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }
}
