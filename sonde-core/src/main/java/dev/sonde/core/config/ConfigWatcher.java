package dev.sonde.core.config;

import dev.sonde.core.error.SondeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reloads the configuration when one of its files changes: a long-running command (the dashboard) keeps
 * its settings in step with {@code sonde.yaml} without a restart.
 *
 * <pre>{@code
 * Path flag = ...; // --config, or null
 * try (ConfigWatcher watcher = new ConfigWatcher(ConfigLoader.watchedFiles(flag),
 *         () -> ConfigLoader.load(flag).override("dashboard.port", "8080", "--port"),
 *         Duration.ofSeconds(1), config -> apply(config), error -> show(error.getMessage()))) { ... }
 * }</pre>
 *
 * <p>The files are polled (modification time, size and identity) rather than watched with a
 * {@code WatchService}: editors save by renaming a new file over the old one, which some file systems
 * never report. When the new content is broken, {@code onError} gets the one-sentence reason and the
 * caller keeps the configuration it has; the next good edit calls {@code onChange} again, even when it
 * restores exactly the configuration from before the mistake.
 */
public final class ConfigWatcher implements AutoCloseable {

    private record Stamp(FileTime modified, long size, Object fileKey) {
        static final Stamp MISSING = new Stamp(null, -1, null);
    }

    private final List<Path> files;
    private final Supplier<ConfigLoader.Loaded> load;
    private final Consumer<SondeConfig> onChange;
    private final Consumer<SondeException> onError;
    private final ScheduledExecutorService thread;
    private List<Stamp> stamps;
    private List<Stamp> settling;
    private SondeConfig delivered;
    private boolean failing;

    /**
     * Starts polling at once; the first look only notes how the files are, so nothing is called back until one
     * changes.
     *
     * @param files    the files the configuration is read from ({@link ConfigLoader#watchedFiles}); they may not exist yet
     * @param load     reads the configuration again, flags included (a {@link SondeException} when it is broken)
     * @param interval how often the files are looked at
     * @param onChange gets the configuration loaded after a change, when it differs from the last one it got
     * @param onError  gets the reason a changed file could not be loaded
     */
    public ConfigWatcher(List<Path> files, Supplier<ConfigLoader.Loaded> load, Duration interval,
                         Consumer<SondeConfig> onChange, Consumer<SondeException> onError) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("A config watcher needs at least one file to watch.");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("The poll interval must be positive, not " + interval + ".");
        }
        this.files = List.copyOf(files);
        this.load = Objects.requireNonNull(load, "load");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.onError = Objects.requireNonNull(onError, "onError");
        this.stamps = stamps();
        this.delivered = loadQuietly();
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread watcher = new Thread(task, "sonde-config-watcher");
            watcher.setDaemon(true);
            return watcher;
        });
        long nanos = interval.toNanos();
        thread.scheduleWithFixedDelay(this::poll, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** The files watched. */
    public List<Path> files() {
        return files;
    }

    private void poll() {
        List<Stamp> now = stamps();
        if (now.equals(stamps)) {
            settling = null;
            return;
        }
        // An editor may still be writing: read a changed file once it looked the same on two polls in a row.
        if (!now.equals(settling)) {
            settling = now;
            return;
        }
        settling = null;
        stamps = now;
        SondeConfig loaded;
        try {
            loaded = load.get().config();
        } catch (RuntimeException broken) {
            failing = true;
            deliver(() -> onError.accept(broken instanceof SondeException sonde ? sonde
                    : SondeException.invalidInput(broken.getMessage() == null ? "The configuration cannot be loaded ("
                    + broken.getClass().getSimpleName() + "); check the config file." : broken.getMessage())));
            return;
        }
        if (failing || !loaded.equals(delivered)) {
            failing = false;
            delivered = loaded;
            deliver(() -> onChange.accept(loaded));
        }
    }

    /** A failing callback must not stop the watching. */
    private static void deliver(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException ignored) {
            // the caller's problem; the next change is still reported
        }
    }

    private SondeConfig loadQuietly() {
        try {
            return load.get().config();
        } catch (RuntimeException broken) {
            failing = true;
            return null;
        }
    }

    private List<Stamp> stamps() {
        List<Stamp> result = new ArrayList<>(files.size());
        for (Path file : files) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                result.add(new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey()));
            } catch (IOException absent) {
                result.add(Stamp.MISSING);
            }
        }
        return result;
    }

    /** Stops polling; no callback starts after this returns. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
