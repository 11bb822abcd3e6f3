package dev.sonde.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code ./sonde} launcher when no JDK 21+ is to be found. */
class LauncherScriptTest {

    @Test
    void withoutAJdk21ItSaysWhatToInstall() throws Exception {
        Path script = Path.of("..", "sonde").toAbsolutePath().normalize();
        assertThat(script).exists();
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "--version").redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("PATH", "/usr/bin:/bin");
        environment.put("SONDE_JDK_DIRS", "/nonexistent/*");
        if (Files.isDirectory(jdk17)) {
            environment.put("JAVA_HOME", jdk17.toString());
        } else {
            environment.remove("JAVA_HOME");
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).startsWith("sonde: needs a JDK 21 or newer (found: ")
                .contains("Install one (for example: apt-get install openjdk-21-jdk, or Temurin from adoptium.net) or point JAVA_HOME at it.");
    }
}
