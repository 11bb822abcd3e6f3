package dev.sonde.cli.probe;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code sonde probe --out FILE}: every probe event appended to FILE as one JSON line, flushed at once so a long run can
 * be followed with {@code tail -f}. A new file is made readable by its owner only (0600): snapshots hold the target's
 * values. An existing file keeps its permissions and its lines.
 */
final class EventFile implements AutoCloseable {

    private final Path path;
    private final BufferedWriter writer;
    private boolean failed;

    private EventFile(Path path, BufferedWriter writer) {
        this.path = path;
        this.writer = writer;
    }

    /** Opens {@code path} to append to, creating it 0600. */
    static EventFile open(Path path) throws IllegalArgumentException {
        try {
            if (Files.isDirectory(path)) {
                throw new IllegalArgumentException("--out " + path + " is a directory; give a file, as in --out probes.jsonl.");
            }
            if (!Files.exists(path)) {
                try {
                    Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException raced) {
                    // made meanwhile: append to it
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(path);
                }
            }
            return new EventFile(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--out " + path + " is in a directory that does not exist; create it or give another path.");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("--out " + path + " cannot be written (permission denied); give a path you can write.");
        } catch (FileSystemException e) {
            throw new IllegalArgumentException("--out " + path + " cannot be opened (" + e.getReason() + "); give a writable file path.");
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + path + " cannot be opened (" + e.getMessage() + "); give a writable file path.");
        }
    }

    /**
     * Appends one line. A write that fails (disk full) is reported once by the returned sentence and the file is left
     * alone after it, so the console goes on.
     *
     * @return the sentence to tell the user when this write failed the file, else null
     */
    synchronized String append(String jsonLine) {
        if (failed) {
            return null;
        }
        try {
            writer.write(jsonLine);
            writer.newLine();
            writer.flush();
            return null;
        } catch (IOException e) {
            failed = true;
            return "Writing to " + path + " failed (" + e.getMessage() + "); later events go to the console only.";
        }
    }

    @Override
    public synchronized void close() {
        failed = true;
        try {
            writer.close();
        } catch (IOException e) {
            // every line was flushed when written
        }
    }
}
