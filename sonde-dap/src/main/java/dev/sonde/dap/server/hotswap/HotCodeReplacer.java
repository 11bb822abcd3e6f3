package dev.sonde.dap.server.hotswap;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.hotswap.ClassFiles;
import dev.sonde.core.hotswap.Redefinition;
import dev.sonde.core.session.Session;
import dev.sonde.dap.server.SondeDebugClient;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.OutputEventArgumentsCategory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Hot code replace for a DAP session: finds the class files in the output directories that changed since the session
 * began (or since the last replace), sends them, and tells the client with an {@code output} event and a
 * {@code hotcodereplace} event.
 */
public final class HotCodeReplacer {

    /** What a class file looked like when last seen. */
    private record Seen(long size, long modified) {
    }

    private final List<Path> directories;
    private final Session session;
    private final SondeDebugClient client;
    // Guarded by this.
    private Map<Path, Seen> seen;

    /** Notes what the directories hold now: only later changes are sent. */
    public HotCodeReplacer(List<Path> directories, Session session, SondeDebugClient client) {
        this.directories = List.copyOf(directories);
        this.session = session;
        this.client = client;
        this.seen = scan();
    }

    public List<Path> directories() {
        return directories;
    }

    /** The class files in the directories now, with their sizes and times. */
    Map<Path, Seen> scan() {
        Map<Path, Seen> files = new HashMap<>();
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(directory)) {
                walk.filter(file -> file.toString().endsWith(".class")).forEach(file -> {
                    try {
                        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                        if (attributes.isRegularFile()) {
                            files.put(file, new Seen(attributes.size(), attributes.lastModifiedTime().toMillis()));
                        }
                    } catch (IOException gone) {
                        // deleted while walking: a build is still writing
                    }
                });
            } catch (IOException | java.io.UncheckedIOException e) {
                // a directory removed mid-build; the next scan sees it again
            }
        }
        return files;
    }

    /**
     * Sends the class files changed since last time and announces the outcome; completes with it (a refusal too), or
     * with null when nothing changed.
     */
    public CompletableFuture<Redefinition> replaceChanged() {
        List<Path> changed;
        synchronized (this) {
            Map<Path, Seen> now = scan();
            Map<Path, Seen> before = seen;
            changed = now.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey()))).map(Map.Entry::getKey).sorted().toList();
            seen = now;
        }
        if (changed.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, byte[]> classes;
        try {
            classes = ClassFiles.read(changed);
        } catch (SondeException unreadable) {
            announce("ERROR", "Hot code replace skipped: " + unreadable.getMessage(), List.of());
            return CompletableFuture.failedFuture(unreadable);
        }
        announce("STARTING", "Replacing " + classes.size() + " changed class" + (classes.size() == 1 ? "" : "es") + ".", List.of());
        return session.async().redefineClasses(classes).whenComplete((result, failure) -> {
            switch (result) {
                case null -> announce("ERROR", "Hot code replace failed: " + SondeException.from(failure).getMessage(), List.of());
                case Redefinition.Replaced replaced -> announce("END", replaced.summary(), replaced.classes());
                case Redefinition.Refused refused -> announce("ERROR", refused.summary(), List.of());
            }
        });
    }

    private void announce(String changeType, String message, List<String> classes) {
        // A build that rewrote class files with the same bytes changed nothing worth a line in the console.
        if (changeType.equals("ERROR") || changeType.equals("END") && !classes.isEmpty()) {
            OutputEventArguments output = new OutputEventArguments();
            output.setCategory(changeType.equals("ERROR") ? OutputEventArgumentsCategory.STDERR : OutputEventArgumentsCategory.CONSOLE);
            output.setOutput(message + System.lineSeparator());
            client.output(output);
        }
        client.hotCodeReplace(new HotCodeReplaceEvent(changeType, message, classes));
    }
}
