package dev.sonde.dap.server.launch;

import com.google.gson.JsonObject;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.JvmLaunchSpec;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The arguments of a {@code launch} request (the README lists them for debug configurations).
 *
 * @param mainClass   {@code com.acme.Main}, or {@code module/com.acme.Main} for a modular program
 * @param classPaths  class path entries (directories and jars)
 * @param modulePaths module path entries
 * @param vmArgs      JVM options, before the main class
 * @param args        the program's arguments
 * @param cwd         working directory; null for the adapter's
 * @param env         extra environment variables
 * @param stopOnEntry stop before {@code main} runs instead of running on at configurationDone
 * @param javaExec    the {@code java} to run; null for the one running the adapter
 * @param sourcePaths source roots, for mapping source files to classes and back
 */
public record LaunchArguments(String mainClass, List<String> classPaths, List<String> modulePaths, List<String> vmArgs,
                              List<String> args, Path cwd, Map<String, String> env, boolean stopOnEntry, Path javaExec,
                              List<Path> sourcePaths) {

    public LaunchArguments {
        classPaths = List.copyOf(classPaths);
        modulePaths = List.copyOf(modulePaths);
        vmArgs = List.copyOf(vmArgs);
        args = List.copyOf(args);
        env = Map.copyOf(env);
        sourcePaths = List.copyOf(sourcePaths);
    }

    static LaunchArguments read(String command, JsonObject json) {
        JsonArguments arguments = new JsonArguments(command, json);
        List<String> classPaths = arguments.strings("classPaths");
        List<String> modulePaths = arguments.strings("modulePaths");
        for (String entry : concat(classPaths, modulePaths)) {
            if (entry.startsWith("$")) {
                throw SondeException.invalidInput("Path entry '" + entry + "' needs a Java language server to expand;"
                        + " list the class directories and jars instead.");
            }
        }
        String cwd = arguments.string("cwd");
        Path directory = cwd == null || cwd.isBlank() ? null : Path.of(cwd);
        if (directory != null && !Files.isDirectory(directory)) {
            throw SondeException.invalidInput("The working directory '" + cwd + "' does not exist; fix 'cwd' in the debug configuration.");
        }
        String java = arguments.string("javaExec");
        return new LaunchArguments(arguments.requiredString("mainClass").strip(), classPaths, modulePaths, arguments.words("vmArgs"),
                arguments.words("args"), directory, arguments.stringMap("env"), arguments.bool("stopOnEntry", false),
                java == null || java.isBlank() ? null : Path.of(java), arguments.strings("sourcePaths").stream().map(Path::of).toList());
    }

    /** The JVM to start: options, class and module paths, the main class (or module), then the program's arguments. */
    public JvmLaunchSpec spec() {
        List<String> javaArgs = new ArrayList<>(vmArgs);
        if (!classPaths.isEmpty()) {
            javaArgs.add("-cp");
            javaArgs.add(String.join(File.pathSeparator, classPaths));
        }
        if (!modulePaths.isEmpty()) {
            javaArgs.add("--module-path");
            javaArgs.add(String.join(File.pathSeparator, modulePaths));
        }
        if (mainClass.contains("/")) {
            javaArgs.add("-m");
        }
        javaArgs.add(mainClass);
        javaArgs.addAll(args);
        JvmLaunchSpec spec = JvmLaunchSpec.of(javaArgs).withWorkingDirectory(cwd).withEnvironment(env);
        return javaExec == null ? spec : spec.withJava(javaExec);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
