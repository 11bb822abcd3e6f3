package dev.sonde.cli.dap;

import dev.sonde.cli.Main;
import dev.sonde.fixtures.Markers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** What the {@code sonde dap} tests share: the java to run, the command line of the adapter, the fixtures' sources. */
final class DapTestSupport {

    private DapTestSupport() {
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** {@code java} arguments that run {@code sonde} from this test's class path, followed by {@code args}. */
    static List<String> sonde(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(java().toString(), "--add-opens", "jdk.jdi/com.sun.tools.jdi=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** A source root holding the fixtures' sources, as a client's workspace would. */
    static Path sourceRoot(Path directory, Class<?>... fixtures) {
        try {
            for (Class<?> fixture : fixtures) {
                Path file = directory.resolve(fixture.getName().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.write(file, Markers.source(fixture));
            }
            return directory.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends a process and the processes it started. */
    static void destroy(Process process) {
        process.descendants().sorted(Comparator.comparing(ProcessHandle::pid).reversed()).forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Runs a Node script of src/test/node with {@code environment} and the adapter's command line in
     * {@code SONDE_JAVA} and {@code SONDE_DAP_ARGFILE} (an @argfile, so the long class path stays whole), and returns
     * what it printed; fails the test when the script fails or does not finish within 3 minutes.
     */
    static String runNodeScript(String script, Path directory, java.util.Map<String, String> environment)
            throws IOException, InterruptedException {
        Path nodeProject = Path.of("src", "test", "node");
        if (!Files.isDirectory(nodeProject.resolve("node_modules/@vscode/debugadapter-testsupport"))) {
            throw new AssertionError("The DAP client for this test is not installed; run `npm ci` in sonde-cli/src/test/node (./test does it).");
        }
        Path argFile = directory.resolve("sonde-dap.args");
        Files.writeString(argFile, String.join("\n", quoted("-cp"), quoted(System.getProperty("java.class.path")),
                quoted(Main.class.getName()), quoted("dap")) + "\n", java.nio.charset.StandardCharsets.UTF_8);
        ProcessBuilder node = new ProcessBuilder("node", script).directory(nodeProject.toFile()).redirectErrorStream(true);
        node.environment().put("SONDE_JAVA", java().toString());
        node.environment().put("SONDE_DAP_ARGFILE", argFile.toString());
        node.environment().putAll(environment);
        Process process = node.start();
        try {
            if (!process.waitFor(6, java.util.concurrent.TimeUnit.MINUTES)) {
                throw new AssertionError("The Node DAP client did not finish within 3 minutes; output so far:\n"
                        + new String(process.getInputStream().readNBytes(process.getInputStream().available()), java.nio.charset.StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            System.out.println(output);
            if (process.exitValue() != 0) {
                throw new AssertionError(script + " exited with " + process.exitValue() + ":\n" + output);
            }
            return output;
        } finally {
            destroy(process);
        }
    }

    /** An argument in an @argfile: quoted, so paths with spaces stay whole. */
    private static String quoted(String argument) {
        return "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
