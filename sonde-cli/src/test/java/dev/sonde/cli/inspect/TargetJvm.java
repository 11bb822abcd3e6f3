package dev.sonde.cli.inspect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A JVM started for a test, with its output lines kept; closing it kills it. */
final class TargetJvm implements AutoCloseable {

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private TargetJvm(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("output-of-" + process.pid()).start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                }
            } catch (IOException ended) {
                // the JVM was killed
            }
        });
    }

    /** Starts {@code java JVM_ARGS} (short-lived JIT flags added) and waits until it prints {@code readyLine}. */
    static TargetJvm start(String readyLine, String... javaArgs) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of(javaArgs));
        try {
            TargetJvm jvm = new TargetJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
            if (!jvm.awaitOutput(readyLine::equals, Duration.ofSeconds(30))) {
                jvm.close();
                throw new AssertionError("the JVM never printed '" + readyLine + "'; it printed " + jvm.output);
            }
            return jvm;
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    List<String> output() {
        return output;
    }

    boolean awaitOutput(Predicate<String> line, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (output.stream().noneMatch(line)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(50);
        }
        return true;
    }

    /** Sends a signal (STOP, CONT) with the kill command. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid() + " failed");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
