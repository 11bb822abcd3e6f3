package dev.sonde.jdi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Finds what a session left behind: threads of its backend and of JDI, and TCP connections to the target's port. */
final class Leaks {

    private static final Pattern EVENTS_THREAD = Pattern.compile("(sonde-jdi-\\d+-)events");

    private Leaks() {
    }

    static Set<Thread> liveThreads() {
        return Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /**
     * The threads one session started: its backend's (named {@code sonde-jdi-N-...}), JDI's for its connection, and
     * the output pumps of a debuggee it launched. Take {@code before} just before connecting.
     */
    record SessionThreads(String backendPrefix, List<Thread> started) {

        static SessionThreads since(Set<Thread> before) {
            List<Thread> started = new ArrayList<>();
            String prefix = null;
            for (Thread thread : liveThreads()) {
                if (before.contains(thread)) {
                    continue;
                }
                Matcher events = EVENTS_THREAD.matcher(thread.getName());
                if (events.matches()) {
                    prefix = events.group(1);
                }
                if (thread.getName().startsWith("JDI ") || thread.getName().startsWith("sonde-")) {
                    started.add(thread);
                }
            }
            assertThat(prefix).as("the backend's event thread among " + started).isNotNull();
            assertThat(started).extracting(Thread::getName)
                    .contains("JDI Target VM Interface", "JDI Internal Event Handler");
            return new SessionThreads(prefix, started);
        }

        /** Fails unless every thread of the session ends within the grace period. */
        void assertAllEnd(Duration grace) {
            long deadline = System.nanoTime() + grace.toNanos();
            for (Thread thread : started) {
                join(thread, deadline);
            }
            // Request threads start on demand: look for any of the backend's that came later.
            for (Thread thread : liveThreads()) {
                if (thread.getName().startsWith(backendPrefix)) {
                    join(thread, deadline);
                }
            }
            List<String> alive = new ArrayList<>();
            started.stream().filter(Thread::isAlive).forEach(t -> alive.add(t.getName()));
            liveThreads().stream().filter(t -> t.getName().startsWith(backendPrefix)).forEach(t -> alive.add(t.getName()));
            assertThat(alive).as("threads of the ended session still alive").isEmpty();
        }

        private static void join(Thread thread, long deadline) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                thread.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * TCP connections (any process on this machine) from or to {@code port}, other than listeners and
     * TIME_WAIT leftovers, as {@code local->remote state} strings. Empty when /proc/net/tcp is not there.
     */
    static List<String> openConnections(int port) {
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(path);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] columns = line.trim().split("\\s+");
                int local = Integer.parseInt(columns[1].substring(columns[1].indexOf(':') + 1), 16);
                int remote = Integer.parseInt(columns[2].substring(columns[2].indexOf(':') + 1), 16);
                String state = columns[3];
                if ((local == port || remote == port) && !state.equals("0A") && !state.equals("06")) {
                    found.add(local + "->" + remote + " state " + state);
                }
            }
        }
        return found;
    }

    /** Waits up to {@code grace} for the connections to {@code port} to close; returns those still open. */
    static List<String> awaitNoConnections(int port, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        List<String> open = openConnections(port);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            // The kernel closes sockets on its own schedule; there is nothing to wait on but time.
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            open = openConnections(port);
        }
        return open;
    }
}
