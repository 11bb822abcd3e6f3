package dev.sonde.core.launch;

import dev.sonde.core.error.SondeException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Finds a Python that can run debugpy: the one the user chose, else the {@code python3} on the PATH, else the
 * system's {@code /usr/bin/python3} (a pyenv or virtualenv {@code python3} often lacks debugpy while the system one
 * has Debian's python3-debugpy).
 */
public final class PythonFinder {

    /** A Python with debugpy, and the versions of both. */
    public record Python(Path executable, String version, String debugpyVersion) {

        /** {@code Python 3.11.2, debugpy 1.6.3}. */
        public String describe() {
            return "Python " + version + ", debugpy " + debugpyVersion;
        }
    }

    public static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");
    private static final String PROBE = "import sys, debugpy; print(debugpy.__version__); print('%d.%d.%d' % sys.version_info[:3])";
    /** Pythons known to have debugpy; a Python without it is probed again, in case it has been installed since. */
    private static final Map<Path, Python> FOUND = new ConcurrentHashMap<>();

    private PythonFinder() {
    }

    /**
     * The Python to run debugpy with.
     *
     * @param chosen the user's choice ({@code --python-exe}), or null to look on the PATH and then for the system Python
     * @throws SondeException saying what to install when no candidate has debugpy
     */
    public static Python find(Path chosen) {
        return find(chosen, System.getenv("PATH"), SYSTEM_PYTHON);
    }

    static Python find(Path chosen, String pathVariable, Path systemPython) {
        if (chosen != null) {
            if (!Files.isExecutable(chosen)) {
                throw SondeException.invalidInput("Python executable " + chosen
                        + " does not exist or cannot be run; give the path to a python3 binary with --python-exe.");
            }
            return probe(chosen).orElseThrow(() -> SondeException.invalidInput(chosen + " has no debugpy; install it with `" + chosen
                    + " -m pip install debugpy` (or `apt-get install python3-debugpy` for the system Python),"
                    + " or choose another Python with --python-exe."));
        }
        for (Path candidate : candidates(pathVariable, systemPython)) {
            Optional<Python> python = probe(candidate);
            if (python.isPresent()) {
                return python.get();
            }
        }
        throw SondeException.invalidInput("No Python with debugpy found (tried python3 on the PATH and " + systemPython
                + "); install it with `apt-get install python3-debugpy` or `pip install debugpy`, or choose a Python with --python-exe.");
    }

    /** The {@code python3} on the PATH, then the system Python, each once. */
    static List<Path> candidates(String pathVariable, Path systemPython) {
        List<Path> candidates = new ArrayList<>();
        if (pathVariable != null) {
            for (String directory : pathVariable.split(File.pathSeparator)) {
                if (directory.isBlank()) {
                    continue;
                }
                Path python = Path.of(directory, "python3");
                if (Files.isExecutable(python)) {
                    candidates.add(python);
                    break;
                }
            }
        }
        if (Files.isExecutable(systemPython) && candidates.stream().noneMatch(c -> sameFile(c, systemPython))) {
            candidates.add(systemPython);
        }
        return candidates;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs the Python to see whether it imports debugpy. */
    static Optional<Python> probe(Path executable) {
        Python known = FOUND.get(executable);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            Process process = new ProcessBuilder(executable.toString(), "-c", PROBE).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().lines().toList();
            if (process.exitValue() != 0 || lines.size() != 2) {
                return Optional.empty();
            }
            String debugpy = lines.get(0).strip();
            int local = debugpy.indexOf('+');
            Python python = new Python(executable, lines.get(1).strip(), local > 0 ? debugpy.substring(0, local) : debugpy);
            FOUND.put(executable, python);
            return Optional.of(python);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
