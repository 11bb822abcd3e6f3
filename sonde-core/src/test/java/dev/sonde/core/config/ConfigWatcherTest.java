package dev.sonde.core.config;

import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real file edited on disk, seen by a watcher polling every 20 ms; each wait has a deadline. */
class ConfigWatcherTest {

    @TempDir
    Path dir;

    private final BlockingQueue<SondeConfig> changes = new LinkedBlockingQueue<>();
    private final BlockingQueue<SondeException> errors = new LinkedBlockingQueue<>();

    @Test
    void reportsAChangeABrokenEditAndItsFix() throws Exception {
        Path file = Files.writeString(dir.resolve("sonde.yaml"), "dashboard:\n  interval: 1s\n");
        try (ConfigWatcher watcher = watch()) {
            assertThat(watcher.files()).containsExactly(file, dir.resolve("sonde.yml"), dir.resolve("sonde.json"));

            Files.writeString(file, "dashboard:\n  interval: 2s\n  amberAt: 0.7\n");
            SondeConfig changed = next(changes);
            assertThat(changed.dashboard().interval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(changed.dashboard().amberAt()).isEqualTo(0.7);

            Files.writeString(file, "dashboard: {interval: 2s\n");
            assertThat(next(errors).getMessage()).startsWith(file + ", line 1").contains("while parsing a flow mapping");
            Files.writeString(file, "dashboard:\n  interval: 2s\n  amberAt: high\n");
            assertThat(next(errors).getMessage())
                    .isEqualTo(file + ", line 3, key 'dashboard.amberAt': cannot read 'high' as a number; fix the value.");

            // Saved the way editors do: a new file renamed over the old one, restoring the content from before.
            Path saved = Files.writeString(dir.resolve("sonde.yaml.swp"), "dashboard:\n  interval: 2s\n  amberAt: 0.7\n");
            Files.move(saved, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertThat(next(changes)).as("the fix is reported even though it equals the last good config").isEqualTo(changed);
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void seesAFileThatAppearsAndOneThatGoesAway() throws Exception {
        try (ConfigWatcher watcher = watch()) {
            Path file = Files.writeString(dir.resolve("sonde.json"), "{\"dashboard\": {\"port\": 8123}}");
            assertThat(next(changes).dashboard().port()).isEqualTo(8123);

            Files.delete(file);
            assertThat(next(changes)).isEqualTo(SondeConfig.DEFAULTS);
        }
    }

    @Test
    void staysQuietWhileNothingChangesAndStopsWhenClosed() throws Exception {
        Path file = Files.writeString(dir.resolve("sonde.yaml"), "dashboard:\n  port: 1\n");
        ConfigWatcher watcher = watch();
        Files.setLastModifiedTime(file, Files.getLastModifiedTime(file));  // touched, same content
        watcher.close();
        Files.writeString(file, "dashboard:\n  port: 22\n");
        assertThat(changes.poll(200, TimeUnit.MILLISECONDS)).as("closed: nothing more is reported").isNull();
        assertThat(errors).isEmpty();
    }

    private ConfigWatcher watch() {
        List<Path> files = ConfigLoader.watchedFiles(null, dir, Map.of());
        return new ConfigWatcher(files, () -> ConfigLoader.load(null, dir, Map.of()), Duration.ofMillis(20),
                changes::add, errors::add);
    }

    private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T item = queue.poll(10, TimeUnit.SECONDS);
        assertThat(item).as("a callback within 10 s").isNotNull();
        return item;
    }
}
