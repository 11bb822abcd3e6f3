package dev.sonde.core.launch;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PythonLaunchSpecTest {

    @TempDir
    Path temp;

    @Test
    void theCommandRunsTheScriptUnderDebugpyWaitingForItsDebugger() throws IOException {
        Path script = Files.writeString(temp.resolve("app.py"), "print('hi')\n");
        PythonLaunchSpec spec = PythonLaunchSpec.of(script, List.of("--verbose", "x"));

        assertThat(spec.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(spec.port()).isZero();
        assertThat(spec.allowRemote()).isFalse();
        assertThat(spec.suspend()).isTrue();
        assertThat(spec.commandLine(Path.of("/usr/bin/python3"), 5678)).containsExactly("/usr/bin/python3", "-Xfrozen_modules=off",
                "-m", "debugpy", "--listen", "127.0.0.1:5678", "--wait-for-client", script.toString(), "--verbose", "x");
        assertThat(spec.withBind("0.0.0.0", 9, true).commandLine(Path.of("python3"), 9)).contains("0.0.0.0:9");
        assertThat(spec.scriptPath()).isEqualTo(script);
    }

    @Test
    void aRelativeScriptIsLookedForInTheWorkingDirectory() throws IOException {
        Files.writeString(temp.resolve("app.py"), "");
        PythonLaunchSpec spec = new PythonLaunchSpec(Path.of("app.py"), List.of(), null, "127.0.0.1", 0, false, temp, Map.of(), false);

        assertThat(spec.scriptPath()).isEqualTo(temp.resolve("app.py"));
        SondeException missing = catchThrowableOfType(SondeException.class, () -> spec.withWorkingDirectory(temp.resolve("elsewhere")));
        assertThat(missing.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(missing.getMessage()).isEqualTo("Python script app.py does not exist in " + temp.resolve("elsewhere")
                + "; give the path of the script to debug.");
    }

    @Test
    void badInputIsRefusedInOneSentence() throws IOException {
        assertThat(catchThrowableOfType(SondeException.class, () -> PythonLaunchSpec.of(Path.of("no-such-script.py"), List.of()))
                .getMessage()).isEqualTo("Python script no-such-script.py does not exist; give the path of the script to debug.");
        Path script = Files.writeString(temp.resolve("app.py"), "");
        assertThat(catchThrowableOfType(SondeException.class, () -> PythonLaunchSpec.of(script, List.of()).withPython(temp.resolve("python9")))
                .getMessage()).isEqualTo("Python executable " + temp.resolve("python9")
                        + " does not exist or cannot be run; give the path to a python3 binary with --python-exe.");
        assertThat(catchThrowableOfType(SondeException.class, () -> PythonLaunchSpec.of(script, List.of()).withBind("::1", 0, false))
                .getMessage()).isEqualTo("debugpy cannot listen on the IPv6 address ::1; bind an IPv4 address such as 127.0.0.1.");
    }
}
