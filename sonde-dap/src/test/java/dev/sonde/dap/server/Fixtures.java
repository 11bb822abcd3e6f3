package dev.sonde.dap.server;

import dev.sonde.fixtures.Markers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixture programs as a client would see them: their sources under a source root (copied from the
 * fixtures' class path, so the tests need no checkout layout) and launch arguments for them.
 */
final class Fixtures {

    private static final Path SOURCE_ROOT = copySources();

    private Fixtures() {
    }

    static Path sourceRoot() {
        return SOURCE_ROOT;
    }

    /** The client's path of a fixture's source file. */
    static String sourcePath(Class<?> fixture) {
        return SOURCE_ROOT.resolve(fixture.getName().replace('.', '/') + ".java").toString();
    }

    static int line(Class<?> fixture, String marker) {
        return Markers.line(fixture, marker);
    }

    /** Launch arguments that run a fixture with program arguments, with the fixtures' source root. */
    static Map<String, Object> launch(Class<?> mainClass, String... args) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("type", "sonde");
        arguments.put("request", "launch");
        arguments.put("mainClass", mainClass.getName());
        arguments.put("classPaths", List.of(Markers.classPath().toString()));
        arguments.put("vmArgs", List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        arguments.put("args", Arrays.asList(args));
        arguments.put("sourcePaths", List.of(SOURCE_ROOT.toString()));
        return arguments;
    }

    /** The java arguments that run a fixture, for targets started outside the adapter. */
    static List<String> javaArgs(Class<?> mainClass, String... args) {
        List<String> javaArgs = new ArrayList<>(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                Markers.classPath().toString(), mainClass.getName()));
        javaArgs.addAll(List.of(args));
        return javaArgs;
    }

    private static void delete(Path root) {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the system cleans it up eventually
        }
    }

    private static Path copySources() {
        try {
            Path root = Files.createTempDirectory("sonde-dap-sources");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
            for (Class<?> fixture : List.of(dev.sonde.fixtures.Counter.class, dev.sonde.fixtures.Variables.class,
                    dev.sonde.fixtures.Stepper.class, dev.sonde.fixtures.Threads.class, dev.sonde.fixtures.Thrower.class,
                    dev.sonde.fixtures.Echo.class, dev.sonde.fixtures.Exiter.class,
                    dev.sonde.fixtures.EditorRequests.class)) {
                Path file = root.resolve(fixture.getName().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.write(file, Markers.source(fixture));
            }
            return root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
