package dev.sonde.core.launch;

import dev.sonde.core.error.SondeException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Python script to start under debugpy: {@code python -m debugpy --listen HOST:PORT --wait-for-client SCRIPT ARGS}.
 * The script always waits for its first debugger, so breakpoints can be set before any of it runs.
 *
 * @param script           the script to run, relative to the working directory unless absolute
 * @param scriptArgs       the script's own arguments
 * @param pythonExecutable the Python to run; null to find one with debugpy ({@link PythonFinder})
 */
public record PythonLaunchSpec(Path script, List<String> scriptArgs, Path pythonExecutable, String bindAddress, int port,
                               boolean allowRemote, Path workingDirectory, Map<String, String> environment,
                               boolean inheritStdin) implements LaunchSpec {

    public PythonLaunchSpec {
        scriptArgs = List.copyOf(scriptArgs);
        environment = Map.copyOf(environment);
        if (script == null) {
            throw SondeException.invalidInput("No Python script given; name it after --python, for example: --python app.py arg1");
        }
        Path resolved = workingDirectory == null ? script : workingDirectory.resolve(script);
        if (!Files.isRegularFile(resolved)) {
            throw SondeException.invalidInput("Python script " + script + " does not exist"
                    + (workingDirectory == null ? "" : " in " + workingDirectory) + "; give the path of the script to debug.");
        }
        if (pythonExecutable != null && !Files.isExecutable(pythonExecutable)) {
            throw SondeException.invalidInput("Python executable " + pythonExecutable
                    + " does not exist or cannot be run; give the path to a python3 binary with --python-exe.");
        }
        if (bindAddress.contains(":")) {
            throw SondeException.invalidInput("debugpy cannot listen on the IPv6 address " + bindAddress
                    + "; bind an IPv4 address such as 127.0.0.1.");
        }
    }

    /** Loopback, a free port, the Python found by {@link PythonFinder}, no extra environment. */
    public static PythonLaunchSpec of(Path script, List<String> scriptArgs) {
        return new PythonLaunchSpec(script, scriptArgs, null, BindPolicy.LOOPBACK, 0, false, null, Map.of(), false);
    }

    public PythonLaunchSpec withBind(String address, int listenPort, boolean remoteAllowed) {
        return new PythonLaunchSpec(script, scriptArgs, pythonExecutable, address, listenPort, remoteAllowed, workingDirectory, environment,
                inheritStdin);
    }

    public PythonLaunchSpec withPython(Path python) {
        return new PythonLaunchSpec(script, scriptArgs, python, bindAddress, port, allowRemote, workingDirectory, environment, inheritStdin);
    }

    public PythonLaunchSpec withWorkingDirectory(Path directory) {
        return new PythonLaunchSpec(script, scriptArgs, pythonExecutable, bindAddress, port, allowRemote, directory, environment, inheritStdin);
    }

    public PythonLaunchSpec withEnvironment(Map<String, String> variables) {
        return new PythonLaunchSpec(script, scriptArgs, pythonExecutable, bindAddress, port, allowRemote, workingDirectory, variables, inheritStdin);
    }

    public PythonLaunchSpec withInheritStdin(boolean inherit) {
        return new PythonLaunchSpec(script, scriptArgs, pythonExecutable, bindAddress, port, allowRemote, workingDirectory, environment, inherit);
    }

    /** debugpy holds the script until a debugger has attached and finished configuring. */
    @Override
    public boolean suspend() {
        return true;
    }

    /** The script as an absolute path, for showing where breakpoints go. */
    public Path scriptPath() {
        Path base = workingDirectory == null ? Path.of("").toAbsolutePath() : workingDirectory.toAbsolutePath();
        return base.resolve(script).normalize();
    }

    @Override
    public List<String> describeCommand() {
        return commandLine(PythonFinder.find(pythonExecutable).executable(), port);
    }

    /**
     * The command that starts the script. Frozen standard-library modules are turned off because debugpy cannot set
     * breakpoints in them (and warns so on every start); the option is ignored by Pythons that have none.
     */
    List<String> commandLine(Path python, int listenPort) {
        List<String> command = new ArrayList<>(List.of(python.toString(), "-Xfrozen_modules=off", "-m", "debugpy",
                "--listen", bindAddress + ":" + listenPort, "--wait-for-client", script.toString()));
        command.addAll(scriptArgs);
        return command;
    }
}
