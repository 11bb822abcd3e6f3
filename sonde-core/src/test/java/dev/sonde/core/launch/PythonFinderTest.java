package dev.sonde.core.launch;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Choosing a Python that has debugpy: the user's, the PATH's, or the system's. */
class PythonFinderTest {

    @TempDir
    Path temp;

    @Test
    void thePathsPythonComesBeforeTheSystemOne() throws IOException {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path onPath = executable(bin.resolve("python3"), "exit 1");
        Path system = executable(temp.resolve("system-python3"), "exit 1");

        assertThat(PythonFinder.candidates(temp.resolve("empty") + ":" + bin, system)).containsExactly(onPath, system);
        assertThat(PythonFinder.candidates(null, system)).containsExactly(system);
        assertThat(PythonFinder.candidates(bin.toString(), temp.resolve("no-such-python"))).containsExactly(onPath);
    }

    @Test
    void aPythonWithoutDebugpyOnThePathFallsBackToTheSystemPython() throws IOException {
        Path system = PythonDebugServerTest.python();
        Path bin = Files.createDirectories(temp.resolve("pyenv-shims"));
        executable(bin.resolve("python3"), "exec " + system + " -S \"$@\"");

        PythonFinder.Python found = PythonFinder.find(null, bin.toString(), system);

        assertThat(found.executable()).isEqualTo(system);
        assertThat(found.version()).matches("3\\.\\d+\\.\\d+");
        assertThat(found.debugpyVersion()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(found.describe()).isEqualTo("Python " + found.version() + ", debugpy " + found.debugpyVersion());
    }

    @Test
    void noneWithDebugpySaysWhatToInstall() throws IOException {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path noDebugpy = executable(bin.resolve("python3"), "exit 1");

        SondeException none = catchThrowableOfType(SondeException.class, () -> PythonFinder.find(null, bin.toString(), noDebugpy));
        assertThat(none.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(none.getMessage()).isEqualTo("No Python with debugpy found (tried python3 on the PATH and " + noDebugpy
                + "); install it with `apt-get install python3-debugpy` or `pip install debugpy`, or choose a Python with --python-exe.");

        assertThat(catchThrowableOfType(SondeException.class, () -> PythonFinder.find(noDebugpy)).getMessage())
                .isEqualTo(noDebugpy + " has no debugpy; install it with `" + noDebugpy + " -m pip install debugpy`"
                        + " (or `apt-get install python3-debugpy` for the system Python), or choose another Python with --python-exe.");
        assertThat(catchThrowableOfType(SondeException.class, () -> PythonFinder.find(temp.resolve("nope"))).getMessage())
                .isEqualTo("Python executable " + temp.resolve("nope")
                        + " does not exist or cannot be run; give the path to a python3 binary with --python-exe.");
    }

    static Path executable(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
