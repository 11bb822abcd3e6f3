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
}
