package dev.sonde.dap.server.hotswap;

import dev.sonde.core.session.Session;
import dev.sonde.dap.server.DebugContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Sets up hot code replace for a launch or attach that names output directories among its {@code classPaths}. */
public final class HotCodeReplaceSetup {

    /** How often the directories are scanned, and how long a build must have stopped writing before its classes are sent. */
    private static final Duration SCAN_INTERVAL = Duration.ofMillis(300);

    private HotCodeReplaceSetup() {
    }

    /** Watches the directories among {@code classPaths} (jars are not watched) until the session ends. */
    public static void watch(List<Path> classPaths, Session session, DebugContext context) {
        List<Path> directories = classPaths.stream().filter(Files::isDirectory).toList();
        if (directories.isEmpty()) {
            return;
        }
        HotCodeReplacer replacer = new HotCodeReplacer(directories, session, context.client());
        context.hotCodeReplacer(replacer);
        ClassPathWatcher watcher = ClassPathWatcher.start(replacer, SCAN_INTERVAL);
        session.terminated().whenComplete((ended, failure) -> watcher.close());
    }
}
