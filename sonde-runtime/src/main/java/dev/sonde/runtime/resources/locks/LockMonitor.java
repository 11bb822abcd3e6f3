package dev.sonde.runtime.resources.locks;

import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.stats.History;
import dev.sonde.runtime.threads.ThreadRef;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deadlocks (on monitors and on ownable synchronizers such as {@code ReentrantLock}) and threads
 * blocked on a lock for too long, read from the JVM's {@link ThreadMXBean}. The runtime's monitor
 * calls {@link #scan()} every {@code monitor.interval}; {@link #findDeadlocks()} looks at once.
 */
public final class LockMonitor {

    private final RuntimeSettings settings;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final History<Deadlock> detected;
    private final Map<Long, BlockedEpisode> episodes = new HashMap<>();
    private volatile List<Deadlock> current = List.of();
    private volatile List<BlockedThread> blocked = List.of();
    private Set<Set<Long>> knownCycles = Set.of();

    public LockMonitor(RuntimeSettings settings) {
        this.settings = settings;
        this.detected = new History<>(() -> settings.get(Setting.HISTORY_SIZE));
    }

    /** The deadlocks in the JVM right now. */
    public List<Deadlock> findDeadlocks() {
        long[] ids = threads.findDeadlockedThreads();
        if (ids == null) {
            return List.of();
        }
        int depth = settings.get(Setting.STACKS_MAX_DEPTH);
        Map<Long, ThreadInfo> infos = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(ids, true, true)) {
            if (info != null) {
                infos.put(info.getThreadId(), info);
            }
        }
        List<Deadlock> deadlocks = new ArrayList<>();
        Set<Long> placed = new HashSet<>();
        Instant now = Instant.now();
        for (long id : ids) {
            if (placed.contains(id) || !infos.containsKey(id)) {
                continue;
            }
            // Follow lock owners from this thread until the walk comes back: that is one cycle.
            List<LockedThread> cycle = new ArrayList<>();
            long next = id;
            while (infos.containsKey(next) && placed.add(next)) {
                ThreadInfo info = infos.get(next);
                cycle.add(toLockedThread(info, depth));
                next = info.getLockOwnerId();
            }
            deadlocks.add(new Deadlock(now, List.copyOf(cycle)));
        }
        return List.copyOf(deadlocks);
    }

    /** Looks for deadlocks and long-blocked threads, and remembers what it found. */
    public synchronized void scan() {
        List<Deadlock> deadlocks = findDeadlocks();
        Set<Set<Long>> cycles = new HashSet<>();
        for (Deadlock deadlock : deadlocks) {
            Set<Long> cycle = new TreeSet<>();
            deadlock.threads().forEach(t -> cycle.add(t.thread().id()));
            cycles.add(cycle);
            if (!knownCycles.contains(cycle)) {
                detected.add(deadlock);
            }
        }
        knownCycles = cycles;
        current = deadlocks;
        blocked = findBlocked();
    }

    /** Deadlocks found by the last scan. */
    public List<Deadlock> deadlocks() {
        return current;
    }

    /** Every deadlock ever found, oldest first (each cycle once). */
    public List<History.Entry<Deadlock>> detectedDeadlocks() {
        return detected.entries();
    }

    /** Threads blocked longer than the threshold at the last scan. */
    public List<BlockedThread> blockedThreads() {
        return blocked;
    }

    private List<BlockedThread> findBlocked() {
        long now = System.nanoTime();
        Duration threshold = settings.get(Setting.LOCKS_BLOCKED_THRESHOLD);
        int depth = settings.get(Setting.STACKS_MAX_DEPTH);
        Map<Long, BlockedEpisode> stillBlocked = new HashMap<>();
        List<Long> overThreshold = new ArrayList<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (info == null || !waitsForLock(info)) {
                continue;
            }
            BlockedEpisode seen = episodes.get(info.getThreadId());
            BlockedEpisode episode = seen != null && seen.continues(info) ? seen : BlockedEpisode.start(info, now);
            stillBlocked.put(info.getThreadId(), episode);
            if (now - episode.sinceNanos >= threshold.toNanos()) {
                overThreshold.add(info.getThreadId());
            }
        }
        episodes.clear();
        episodes.putAll(stillBlocked);
        if (overThreshold.isEmpty()) {
            return List.of();
        }
        List<BlockedThread> result = new ArrayList<>();
        long[] ids = overThreshold.stream().mapToLong(Long::longValue).toArray();
        for (ThreadInfo info : threads.getThreadInfo(ids, threads.isObjectMonitorUsageSupported(),
                threads.isSynchronizerUsageSupported())) {
            BlockedEpisode episode = info == null ? null : stillBlocked.get(info.getThreadId());
            if (episode != null && episode.continues(info)) {
                result.add(new BlockedThread(toLockedThread(info, depth), Duration.ofNanos(now - episode.sinceNanos)));
            }
        }
        return List.copyOf(result);
    }

    /** Blocked on a monitor, or parked on a lock that some thread owns. */
    private static boolean waitsForLock(ThreadInfo info) {
        Thread.State state = info.getThreadState();
        return state == Thread.State.BLOCKED
                || (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && info.getLockOwnerId() != -1;
    }

    private static LockedThread toLockedThread(ThreadInfo info, int depth) {
        List<String> held = new ArrayList<>();
        for (MonitorInfo monitor : info.getLockedMonitors()) {
            held.add(lockName(monitor));
        }
        for (LockInfo synchronizer : info.getLockedSynchronizers()) {
            held.add(lockName(synchronizer));
        }
        ThreadRef owner = info.getLockOwnerId() == -1 ? null
                : new ThreadRef(info.getLockOwnerId(), info.getLockOwnerName(), false);
        StackTraceElement[] stack = info.getStackTrace();
        return new LockedThread(new ThreadRef(info.getThreadId(), info.getThreadName(), false),
                info.getThreadState().name(), info.getLockInfo() == null ? "" : lockName(info.getLockInfo()), owner,
                List.copyOf(held), List.of(Arrays.copyOf(stack, Math.min(stack.length, depth))));
    }

    private static String lockName(LockInfo lock) {
        return lock.getClassName() + "@" + Integer.toHexString(lock.getIdentityHashCode());
    }

    /** One stretch of time a thread spends waiting for the same lock. */
    private static final class BlockedEpisode {
        final long sinceNanos;
        final Thread.State state;
        final long blockedCount;
        final long waitedCount;
        final int lockHash;

        private BlockedEpisode(long sinceNanos, ThreadInfo info) {
            this.sinceNanos = sinceNanos;
            this.state = info.getThreadState();
            this.blockedCount = info.getBlockedCount();
            this.waitedCount = info.getWaitedCount();
            this.lockHash = info.getLockInfo() == null ? 0 : info.getLockInfo().getIdentityHashCode();
        }

        static BlockedEpisode start(ThreadInfo info, long now) {
            return new BlockedEpisode(now, info);
        }

        /** Same state, same lock, and no new block or wait since: the thread has been stuck all along. */
        boolean continues(ThreadInfo info) {
            return info.getThreadState() == state && info.getBlockedCount() == blockedCount
                    && info.getWaitedCount() == waitedCount
                    && (info.getLockInfo() == null ? 0 : info.getLockInfo().getIdentityHashCode()) == lockHash;
        }
    }
}
