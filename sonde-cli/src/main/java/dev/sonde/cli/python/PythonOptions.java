package dev.sonde.cli.python;

import dev.sonde.core.config.SondeConfig;
import dev.sonde.core.launch.PythonLaunchSpec;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Stack;

/**
 * {@code --python SCRIPT [ARGS...]} and {@code --python-exe PATH}: a Python script under debugpy instead of a JVM.
 * Everything after the script belongs to the script, so the command's own options come before {@code --python}.
 */
public final class PythonOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--python", paramLabel = "SCRIPT", arity = "1", parameterConsumer = ScriptAndArguments.class,
            description = "Debug a Python script under debugpy instead of a JVM. Everything after SCRIPT goes to the script,"
                    + " so put the other options before --python.")
    List<String> scriptAndArguments = new ArrayList<>();

    @Option(names = "--python-exe", paramLabel = "PATH",
            description = "The Python to run the script (default: python3 on the PATH if it has debugpy, else /usr/bin/python3).")
    Path pythonExe;

    /** Takes the script and every argument after it, options included. */
    static final class ScriptAndArguments implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            if (args.isEmpty()) {
                throw new ParameterException(commandSpec.commandLine(), "Missing the script after --python; write --python app.py [ARGS...]");
            }
            List<String> all = new ArrayList<>();
            while (!args.isEmpty()) {
                all.add(args.pop());
            }
            argSpec.setValue(all);
        }
    }

    /** Whether a Python script is to be debugged. */
    public boolean requested() {
        return !scriptAndArguments.isEmpty();
    }

    /**
     * Checks that the command got one target: java arguments or a Python script. Fails like a missing parameter, so
     * the message and exit code are those of any other usage error.
     */
    public void requireOneTarget(List<String> javaArgs) {
        if (javaArgs.isEmpty() && !requested()) {
            throw new ParameterException(command.commandLine(), "Missing required parameter: 'JAVA_ARGS' (or --python SCRIPT)");
        }
        if (!javaArgs.isEmpty() && requested()) {
            throw new ParameterException(command.commandLine(), "Give java arguments after -- or a script after --python, not both");
        }
    }

    /** The script's launch spec under the effective server settings ({@code --port}, {@code --bind}, {@code --allow-remote}). */
    public PythonLaunchSpec spec(SondeConfig config) {
        SondeConfig.Server server = config.server();
        PythonLaunchSpec spec = PythonLaunchSpec.of(Path.of(scriptAndArguments.get(0)), scriptAndArguments.subList(1, scriptAndArguments.size()))
                .withBind(server.bind(), server.port(), server.allowRemote());
        return pythonExe == null ? spec : spec.withPython(pythonExe);
    }

    /** The script's file name, to name the session. */
    public String scriptName() {
        return Path.of(scriptAndArguments.get(0)).getFileName().toString();
    }
}
