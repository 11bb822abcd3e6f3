package dev.sonde.dap.server.launch;

import dev.sonde.core.error.SondeException;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Checks a launch before a JVM starts: the JVM holds a debugged program before it loads the main class, so a main class
 * or class path entry that does not exist would otherwise surface only after the launch succeeded, as program output.
 * Here the launch fails with the JVM's complaint. Where the JVM's class path cannot be known (options in vmArgs that set
 * it, a jar whose manifest adds entries), the main class is left for the JVM to find.
 */
final class ProgramCheck {

    private static final Set<String> PATH_OPTIONS = Set.of("-cp", "-classpath", "--class-path", "-jar", "--module-path", "-p", "-m",
            "--module", "--upgrade-module-path", "--patch-module");

    private ProgramCheck() {
    }

    static void check(LaunchArguments launch, Map<String, String> adapterEnvironment) {
        Path directory = launch.cwd() != null ? launch.cwd() : Path.of("").toAbsolutePath();
        List<Path> classPath = existing(launch.classPaths(), directory, "classPaths");
        existing(launch.modulePaths(), directory, "modulePaths");
        if (launch.mainClass().contains("/") || setsItsOwnPath(launch.vmArgs())
                || launch.env().containsKey("JDK_JAVA_OPTIONS") || adapterEnvironment.containsKey("JDK_JAVA_OPTIONS")) {
            return;
        }
        List<String> searched = launch.classPaths();
        if (searched.isEmpty()) {
            String fromEnvironment = launch.env().getOrDefault("CLASSPATH", adapterEnvironment.get("CLASSPATH"));
            searched = fromEnvironment == null || fromEnvironment.isBlank() ? List.of(".") : List.of(fromEnvironment.split(File.pathSeparator));
            classPath = searched.stream().map(entry -> directory.resolve(entry)).toList();
        }
        String file = launch.mainClass().replace('.', '/') + ".class";
        Optional<Boolean> found = find(classPath, file);
        if (found.isPresent() && !found.get()) {
            throw SondeException.notFound("The JVM would stop with \"Error: Could not find or load main class " + launch.mainClass()
                    + "\": no " + file + " is in the class path " + String.join(File.pathSeparator, searched)
                    + "; fix 'mainClass' or 'classPaths' in the debug configuration.");
        }
    }

    /** The entries as paths, each of which must exist (a {@code dir/*} wildcard: its directory). */
    private static List<Path> existing(List<String> entries, Path directory, String argument) {
        List<Path> paths = new ArrayList<>();
        for (String entry : entries) {
            boolean wildcard = entry.endsWith("*") && (entry.length() == 1 || entry.endsWith(File.separator + "*"));
            Path path = directory.resolve(wildcard ? entry.substring(0, entry.length() - 1) : entry);
            if (!Files.exists(path)) {
                throw SondeException.notFound("The " + (argument.equals("classPaths") ? "class" : "module") + " path entry '" + entry
                        + "' does not exist; fix '" + argument + "' in the debug configuration (relative entries are relative to "
                        + directory + ").");
            }
            paths.add(wildcard ? path.resolve("*") : path);
        }
        return paths;
    }

    private static boolean setsItsOwnPath(List<String> vmArgs) {
        return vmArgs.stream().anyMatch(arg -> PATH_OPTIONS.contains(arg) || arg.startsWith("@") || arg.startsWith("--class-path=")
                || arg.startsWith("--module-path=") || arg.startsWith("-Djava.class.path=") || arg.startsWith("-Djava.system.class.loader="));
    }

    /** Whether some entry holds {@code file}; empty when that cannot be told (an unreadable jar, one whose manifest adds entries). */
    private static Optional<Boolean> find(List<Path> classPath, String file) {
        boolean certain = true;
        for (Path entry : classPath) {
            List<Path> candidates = entry.getFileName() != null && entry.getFileName().toString().equals("*") ? jarsIn(entry.getParent()) : List.of(entry);
            for (Path candidate : candidates) {
                if (Files.isDirectory(candidate)) {
                    if (Files.isRegularFile(candidate.resolve(file))) {
                        return Optional.of(true);
                    }
                    continue;
                }
                try (JarFile jar = new JarFile(candidate.toFile())) {
                    if (jar.getEntry(file) != null) {
                        return Optional.of(true);
                    }
                    Manifest manifest = jar.getManifest();
                    if (manifest != null && manifest.getMainAttributes().getValue("Class-Path") != null) {
                        certain = false;
                    }
                } catch (IOException | SecurityException notAJar) {
                    // The JVM ignores an entry it cannot open as a jar.
                }
            }
        }
        return certain ? Optional.of(false) : Optional.empty();
    }

    private static List<Path> jarsIn(Path directory) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")) {
                    jars.add(file);
                }
            }
        } catch (IOException e) {
            // an unreadable directory adds nothing, for the JVM too
        }
        return jars;
    }
}
