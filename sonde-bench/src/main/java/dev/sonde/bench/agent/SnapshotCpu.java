package dev.sonde.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.bench.PairedRounds;
import dev.sonde.core.agent.AgentClient;
import dev.sonde.fixtures.BenchTarget;
import dev.sonde.fixtures.Markers;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * What one snapshot costs the thread that hits it, in that thread's CPU time: the agent attached to a fresh JVM of its
 * own, a snapshot probe on every call of {@link BenchTarget#hit} (no condition: a condition changes how the caller
 * compiles), and the thread CPU time per call after a warm-up, for no probe, a snapshot of the top frame and one of 2
 * frames (the caller's locals through {@code LiveStackFrame}), the modes in ABBA order in each round. A thread that
 * snapshots every call would spend a whole core and its probe's CPU budget (at most 100 % of a core, sampled in wall
 * time) would take it out, so the calls run in bursts with the thread parked three times as long after each: the probe
 * stays under a quarter of a core with its budget raised through the probe's own options, as a user could.
 */
public final class SnapshotCpu {

    public static final List<String> MODES = List.of("none", "top", "two");

    /**
     * @param jvms         fresh JVMs, one after the other: the JIT's choices differ from one JVM to the next (a snapshot's
     *                     cost by up to a third), far more than from one round to the next in the same JVM
     * @param rounds       rounds of every mode (ABBA) in each JVM
     * @param calls        calls measured per mode and round
     * @param warmupCalls  calls made before measuring, in every mode and round (a probe retransforms the class: its code
     *                     compiles anew)
     */
    public record Settings(int jvms, int rounds, int calls, int warmupCalls) {
        public Settings {
            if (jvms < 1 || rounds < 1 || calls < 1 || warmupCalls < 0) {
                throw new IllegalArgumentException("Run at least one JVM of one round of one call (and no negative warm-up).");
            }
        }
    }

    /** Per mode, the thread CPU nanoseconds per call of each round; and the snapshots the client received. */
    public record Report(Map<String, List<Double>> nanosPerCall, long snapshots) {

        public double median(String mode) {
            return PairedRounds.median(nanosPerCall.get(mode));
        }

        /** The median over rounds of {@code mode - none}, round by round: what the probe adds to a call. */
        public double added(String mode) {
            List<Double> none = nanosPerCall.get("none");
            List<Double> measured = nanosPerCall.get(mode);
            List<Double> added = new ArrayList<>();
            for (int i = 0; i < Math.min(none.size(), measured.size()); i++) {
                added.add(measured.get(i) - none.get(i));
            }
            return PairedRounds.median(added);
        }

        public double[] range(String mode) {
            List<Double> values = nanosPerCall.get(mode);
            return new double[] {values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    values.stream().mapToDouble(Double::doubleValue).max().orElse(0)};
        }
    }

    private SnapshotCpu() {
    }

    /** Runs the measurement in {@code jvms} fresh JVMs (each loads the agent into itself); the rounds of all of them. */
    public static Report run(Settings settings) throws Exception {
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        MODES.forEach(mode -> figures.put(mode, new ArrayList<>()));
        long snapshots = 0;
        for (int jvm = 0; jvm < settings.jvms(); jvm++) {
            Report one = runOne(settings);
            one.nanosPerCall().forEach((mode, rounds) -> figures.get(mode).addAll(rounds));
            snapshots += one.snapshots();
        }
        return new Report(figures, snapshots);
    }

    private static Report runOne(Settings settings) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading",
                "-Xmx256m"));
        if (System.getProperty("sonde.agent.jar") != null) {
            command.add("-Dsonde.agent.jar=" + System.getProperty("sonde.agent.jar"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), Integer.toString(settings.rounds()),
                Integer.toString(settings.calls()), Integer.toString(settings.warmupCalls())));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        MODES.forEach(mode -> figures.put(mode, new ArrayList<>()));
        long snapshots = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 3 && parts[0].equals("call") && figures.containsKey(parts[1])) {
                    figures.get(parts[1]).add(Double.parseDouble(parts[2]));
                } else if (parts.length == 2 && parts[0].equals("snapshots")) {
                    snapshots = Long.parseLong(parts[1]);
                }
            }
        }
        if (process.waitFor() != 0 || figures.values().stream().anyMatch(rounds -> rounds.size() != settings.rounds())) {
            throw new IllegalStateException("the snapshot measurement ended with " + process.exitValue() + " and " + figures
                    + "; its error output is above");
        }
        return new Report(figures, snapshots);
    }

    /** The measuring JVM: prints {@code call MODE CPU_NS} per mode and round, then {@code snapshots N}. */
    public static final class Child {

        private static final String[] NAMES = {"order-0", "order-1", "order-2", "order-3", "order-4", "order-5", "order-6", "order-7"};
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        /**
         * Calls per burst; the thread then parks three times as long as the burst took, so the probe stays under a quarter
         * of a core (its budget samples hits in wall time, which a busy machine stretches: at half, it took probes out).
         */
        private static final int BURST = 2_000;

        public static void main(String[] args) throws Exception {
            int rounds = Integer.parseInt(args[0]);
            int calls = Integer.parseInt(args[1]);
            int warmupCalls = Integer.parseInt(args[2]);
            AtomicLong snapshots = new AtomicLong();
            AtomicLong takenOut = new AtomicLong();
            AtomicReference<JsonNode> last = new AtomicReference<>();
            String location = "BenchTarget.java:" + Markers.line(BenchTarget.class, "hit");
            try (AgentClient client = AgentClient.connect(ProcessHandle.current().pid())) {
                client.onEvent(event -> {
                    String kind = event.path("event").asText();
                    if (kind.equals("snapshot")) {
                        snapshots.incrementAndGet();
                        last.set(event);
                    } else if (kind.equals("disabled") || kind.equals("expired") || kind.equals("removed")) {
                        takenOut.incrementAndGet();
                        System.err.println("the agent took the probe out: " + event);
                    }
                });
                for (int round = 0; round < rounds; round++) {
                    for (int step = 0; step < MODES.size(); step++) {
                        String mode = MODES.get(round % 2 == 0 ? step : MODES.size() - 1 - step);
                        long cpu = -1;
                        for (int attempt = 1; cpu < 0; attempt++) {
                            takenOut.set(0);
                            int probe = arm(client, mode, location);
                            loop(warmupCalls);
                            cpu = loop(calls);
                            if (probe >= 0 && takenOut.get() == 0) {
                                client.request(AgentClient.op("remove").put("probe", probe));
                            }
                            if (takenOut.get() > 0) {
                                // its budget samples hits in wall time: one sample that caught a pause (a GC, the JIT, the
                                // machine's other work) can put a probe over it; that round measured too few snapshots
                                if (attempt == 3) {
                                    throw new IllegalStateException("the agent took the " + mode + " probe out three times; its events are above");
                                }
                                cpu = -1;
                            }
                        }
                        if (mode.equals("two")) {
                            checkCallerLocals(client, last);
                        }
                        System.out.printf(Locale.ROOT, "call %s %.1f%n", mode, cpu / (double) calls);
                        System.err.printf(Locale.ROOT, "round %d %s: %.1f ns per call%n", round, mode, cpu / (double) calls);
                    }
                }
                client.request(AgentClient.op("detach"));
            }
            System.out.println("snapshots " + snapshots.get());
        }

        /** A measurement of snapshots that lost the caller's locals would flatter them: the last one must show {@link #burst}'s. */
        private static void checkCallerLocals(AgentClient client, AtomicReference<JsonNode> last) {
            client.request(AgentClient.op("probes")); // answered after the events sent before it
            JsonNode snapshot = last.get();
            List<String> names = new ArrayList<>();
            snapshot.path("locals").path(1).path("variables").forEach(variable -> names.add(variable.path("name").asText()));
            if (!names.containsAll(List.of("from", "count", "sum", "i"))) {
                throw new IllegalStateException("the 2-frame snapshot lacks the caller's locals (from, count, sum, i): " + snapshot);
            }
        }

        private static int arm(AgentClient client, String mode, String location) {
            if (mode.equals("none")) {
                return -1;
            }
            JsonNode answer = client.request(AgentClient.op("snap").put("location", location).put("frames", mode.equals("two") ? 2 : 1)
                    .put("limit", 1_000_000_000).put("cpuPercent", 100).put("sharedBudget", false));
            if (!answer.path("ok").asBoolean()) {
                throw new IllegalStateException("the agent refused the snapshot: " + answer.path("error").asText());
            }
            if (mode.equals("two") && !answer.path("probe").path("callerLocals").asBoolean()) {
                throw new IllegalStateException("the agent cannot read caller locals in this JVM: " + answer);
            }
            return answer.path("probe").path("id").asInt();
        }

        /** Makes {@code calls} calls in bursts; returns the thread CPU nanoseconds spent in the bursts. */
        private static long loop(int calls) {
            long cpu = 0;
            long sink = 0;
            for (int done = 0; done < calls; done += BURST) {
                int burst = Math.min(BURST, calls - done);
                long wall = System.nanoTime();
                long started = THREADS.getCurrentThreadCpuTime();
                sink += burst(done, burst);
                cpu += THREADS.getCurrentThreadCpuTime() - started;
                LockSupport.parkNanos(3 * (System.nanoTime() - wall));
            }
            if (sink == Long.MIN_VALUE) {
                System.out.print("");
            }
            return cpu;
        }

        /** The snapshot's caller frame: its locals are what a 2-frame snapshot reads through LiveStackFrame. */
        private static long burst(int from, int count) {
            long sum = 0;
            for (int i = from; i < from + count; i++) {
                sum += BenchTarget.hit(i, NAMES[i & 7]);
            }
            return sum;
        }
    }
}
