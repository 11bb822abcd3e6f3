package dev.sonde.cli.doctor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** JDI stays behind sonde-jdi: the CLI's sources use its API (the doctor's check among them), never com.sun.jdi. */
class NoJdiInCliTest {

    @Test
    void noSourceOfTheCliImportsComSunJdi() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        try (Stream<Path> files = Files.walk(sources)) {
            List<Path> offenders = files.filter(f -> f.toString().endsWith(".java")).filter(NoJdiInCliTest::mentionsJdi).toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static boolean mentionsJdi(Path file) {
        try {
            return Files.readString(file).contains("com.sun.jdi");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
