package dev.sonde.bench.agent;

import dev.sonde.bench.PairedRounds;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link AsyncCaptureBenchmark}'s hand-offs measured in CPU time instead of wall time: on a shared machine the wall
 * time of a JMH run follows the other processes' load (errors of several hundred percent), the CPU time the process
 * spends per hand-off does not. Each round starts one JVM per capture mode (in ABBA order across rounds), which runs
 * the four workloads (chain and task, pool and virtual), each for a warm-up and a measurement counted in CPU seconds
 * (wall seconds on a loaded machine leave the JIT unfinished: the agent's retransformed JDK classes are compiled anew),
 * and reports the process CPU time (all threads, GC and JIT included) and wall time per hand-off; the figures are medians over rounds, the added time a median over
 * rounds of {@code mode - off} of the same round.
 */
public final class AsyncCaptureCpu {

    public static final List<String> MODES = List.of("off", "agent", "on", "all", "naive");
    public static final List<String> WORKLOADS = List.of("chain/pool", "chain/virtual", "task/pool", "task/virtual");

    public record Settings(int rounds, double seconds, double warmup) {
    }

    /** Per mode and workload, the CPU and wall nanoseconds per hand-off of each round. */
    public record Report(Map<String, Map<String, List<double[]>>> figures) {
    }

    private AsyncCaptureCpu() {
    }

    public static Report run(Settings settings) throws Exception {
        Map<String, Map<String, List<double[]>>> figures = new LinkedHashMap<>();
        List<PairedRounds.Round> rounds = new ArrayList<>();
        for (String mode : MODES) {
            Map<String, List<double[]>> byWorkload = new LinkedHashMap<>();
            WORKLOADS.forEach(workload -> byWorkload.put(workload, new ArrayList<>()));
            figures.put(mode, byWorkload);
            rounds.add(() -> {
                for (Map.Entry<String, double[]> line : child(mode, settings).entrySet()) {
                    byWorkload.get(line.getKey()).add(line.getValue());
                }
                return 1;
            });
        }
        PairedRounds.run(settings.rounds(), rounds);
        return new Report(figures);
    }

    private static Map<String, double[]> child(String mode, Settings settings) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), mode, Double.toString(settings.seconds()),
                Double.toString(settings.warmup()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, double[]> lines = new LinkedHashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 4 && parts[0].equals("handoff")) {
                    lines.put(parts[1], new double[] {Double.parseDouble(parts[2]), Double.parseDouble(parts[3])});
                }
            }
        }
        if (process.waitFor() != 0 || lines.size() != WORKLOADS.size()) {
            throw new IllegalStateException("the " + mode + " run ended with " + process.exitValue() + " and " + lines.size()
                    + " of " + WORKLOADS.size() + " workloads measured; its error output is above");
        }
        return lines;
    }

    public static double medianOf(List<double[]> rounds, int which) {
        return PairedRounds.median(rounds.stream().map(round -> round[which]).toList());
    }

    /** The median over rounds of {@code measured - reference}, round by round. */
    public static double addedOf(List<double[]> reference, List<double[]> measured, int which) {
        List<Double> added = new ArrayList<>();
        for (int i = 0; i < Math.min(reference.size(), measured.size()); i++) {
            added.add(measured.get(i)[which] - reference.get(i)[which]);
        }
        return PairedRounds.median(added);
    }

    /** One JVM of one mode: runs every workload and prints {@code handoff WORKLOAD CPU_NS WALL_NS} per hand-off. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            String mode = args[0];
            long measureNanos = (long) (Double.parseDouble(args[1]) * 1e9);
            long warmupNanos = (long) (Double.parseDouble(args[2]) * 1e9);
            var compiler = ManagementFactory.getCompilationMXBean();
            for (String workload : WORKLOADS) {
                AsyncCaptureBenchmark bench = new AsyncCaptureBenchmark();
                bench.capture = mode;
                bench.executor = workload.substring(workload.indexOf('/') + 1);
                bench.start();
                boolean chain = workload.startsWith("chain");
                int handOffs = chain ? AsyncCaptureBenchmark.STAGES : 1;
                try {
                    loop(bench, chain, warmupNanos);
                    long compiling = compiler.getTotalCompilationTime();
                    long cpu = OS.getProcessCpuTime();
                    long wall = System.nanoTime();
                    long ops = loop(bench, chain, measureNanos);
                    double cpuPer = (OS.getProcessCpuTime() - cpu) / (double) (ops * handOffs);
                    double wallPer = (System.nanoTime() - wall) / (double) (ops * handOffs);
                    System.out.printf(Locale.ROOT, "handoff %s %.1f %.1f%n", workload, cpuPer, wallPer);
                    System.err.printf(Locale.ROOT, "%s %s: %d hand-offs, JIT %d ms while measuring%n", mode, workload, ops * handOffs,
                            compiler.getTotalCompilationTime() - compiling);
                } finally {
                    bench.stop();
                }
            }
        }

        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        /** Runs the workload until the process has spent {@code cpuNanos} of CPU time. */
        private static long loop(AsyncCaptureBenchmark bench, boolean chain, long cpuNanos) throws Exception {
            long end = OS.getProcessCpuTime() + cpuNanos;
            long ops = 0;
            Object sink = null;
            while (OS.getProcessCpuTime() < end) {
                for (int i = 0; i < 100; i++) {
                    sink = chain ? bench.chainOfTenStages() : bench.submitEmptyTask();
                }
                ops += 100;
            }
            if (sink == Boolean.TRUE) {
                System.out.print("");
            }
            return ops;
        }
    }
}
