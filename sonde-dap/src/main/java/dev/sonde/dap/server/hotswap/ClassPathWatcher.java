package dev.sonde.dap.server.hotswap;

import java.time.Duration;
import java.util.Objects;

/**
 * Watches a session's output directories and replaces the classes a build changed, once the build has stopped
 * writing: a change is sent after a scan that finds nothing new (a quiet period), never half a build.
 *
 * <p>It polls (file sizes and times) rather than using a WatchService: packages are nested directories, which a
 * WatchService must register one by one as builds create them, and a build that replaces the whole directory would be
 * missed.
 */
public final class ClassPathWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClassPathWatcher.class.getName());

    private final HotCodeReplacer replacer;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean closed;

    private ClassPathWatcher(HotCodeReplacer replacer, Duration interval) {
        this.replacer = replacer;
        this.interval = interval;
        this.thread = Thread.ofPlatform().daemon().name("sonde-dap-classpath-watch").unstarted(this::watch);
    }

    /** Starts watching; {@code interval} is both how often to look and how long the files must stay as they are. */
    public static ClassPathWatcher start(HotCodeReplacer replacer, Duration interval) {
        ClassPathWatcher watcher = new ClassPathWatcher(replacer, interval);
        watcher.thread.start();
        return watcher;
    }

    private void watch() {
        var last = replacer.scan();
        boolean changing = false;
        while (!closed) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            var now = replacer.scan();
            boolean differs = !Objects.equals(now, last);
            last = now;
            if (differs) {
                changing = true;
            } else if (changing) {
                changing = false;
                try {
                    replacer.replaceChanged().join();
                } catch (RuntimeException e) {
                    // announced to the client already; watch on
                    LOG.log(System.Logger.Level.DEBUG, "hot code replace", e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
