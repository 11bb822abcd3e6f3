package dev.sonde.dap.client;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.PythonFinder;
import dev.sonde.core.launch.PythonLaunchSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.fail;

/** The Python scripts under src/test/python, and the Python with debugpy that runs them. */
final class PythonScripts {

    private static final Path DIRECTORY = Path.of("src", "test", "python").toAbsolutePath();

    private PythonScripts() {
    }

    /** A Python with debugpy; the test fails, saying what to install, when there is none. */
    static PythonFinder.Python python() {
        try {
            return PythonFinder.find(null);
        } catch (SondeException noDebugpy) {
            return fail("No Python with debugpy found for the Python tests (tried python3 on the PATH and /usr/bin/python3);"
                    + " install it with `apt-get install python3-debugpy`, as .ci/run does.");
        }
    }

    static Path path(String script) {
        Path path = DIRECTORY.resolve(script);
        if (!Files.isRegularFile(path)) {
            fail("No test script " + path);
        }
        return path;
    }

    /** The 1-based number of the first line of {@code script} that contains {@code text}. */
    static int line(String script, String text) {
        try {
            List<String> lines = Files.readAllLines(path(script));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fail("No line with '" + text + "' in " + script);
    }

    /** {@code script} run by the Python found, on loopback and a free port. */
    static PythonLaunchSpec spec(String script, String... args) {
        return PythonLaunchSpec.of(path(script), List.of(args)).withPython(python().executable());
    }
}
