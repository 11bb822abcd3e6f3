package dev.sonde.dap.server;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVMs this test JVM started, found by their main class. */
final class Processes {

    private Processes() {
    }

    static List<ProcessHandle> running(Class<?> mainClass) {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(mainClass.getName())).orElse(false))
                .toList();
    }

    /** Waits until no JVM of this test runs {@code mainClass}. */
    static void awaitNone(Class<?> mainClass) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!running(mainClass).isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(running(mainClass)).as("JVMs still running " + mainClass.getSimpleName()).isEmpty();
    }
}
