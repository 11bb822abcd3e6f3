package dev.sonde.dashboard.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A JVM started by a test as a process of its own, with its output kept; closing it kills it and waits. */
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

    /** Starts {@code mainClass} on the test's class path and waits (60 s at most) until it prints {@code readyLine}. */
    static TargetJvm start(String readyLine, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        TargetJvm jvm;
        try {
            jvm = new TargetJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new AssertionError("Cannot start " + mainClass.getName() + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!jvm.output.contains(readyLine)) {
            if (!jvm.process.isAlive() || System.nanoTime() > deadline) {
                jvm.close();
                throw new AssertionError(mainClass.getName() + " never printed '" + readyLine + "'; it printed " + jvm.output);
            }
            pause();
        }
        return jvm;
    }

    long pid() {
        return process.pid();
    }

    /** The dashboard's id for this JVM. */
    String dashboardId() {
        return "pid-" + pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("JVM " + pid() + " did not end within 30 s of being killed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50); // polling the output for the ready line, not waiting for a fixed time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
