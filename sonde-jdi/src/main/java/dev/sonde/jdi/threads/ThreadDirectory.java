package dev.sonde.jdi.threads;

import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.ThreadStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The target's threads by Sonde id (the JDWP object id). Thread names and the virtual flag are cached,
 * because a stop event must name its thread and asking the target costs a round trip; listing threads
 * refreshes the names.
 */
public final class ThreadDirectory {

    private record Known(ThreadReference thread, String name, boolean virtual) {
    }

    private final VirtualMachine vm;
    private final Map<Long, Known> known = new ConcurrentHashMap<>();

    public ThreadDirectory(VirtualMachine vm) {
        this.vm = vm;
    }

    /** Remembers a thread (from an event) and returns what a stop event needs to say about it. */
    public ThreadInfo stopped(ThreadReference thread) {
        Known entry = remember(thread);
        return new ThreadInfo(thread.uniqueID(), entry.name(), ThreadStatus.RUNNING, entry.virtual(), true);
    }

    /** What a thread-start event needs to say about a new thread. */
    public ThreadInfo started(ThreadReference thread) {
        Known entry = remember(thread);
        return new ThreadInfo(thread.uniqueID(), entry.name(), ThreadStatus.RUNNING, entry.virtual(), false);
    }

    private Known remember(ThreadReference thread) {
        Known entry = known.get(thread.uniqueID());
        if (entry == null) {
            entry = new Known(thread, safeName(thread), thread.isVirtual());
            known.put(thread.uniqueID(), entry);
        }
        return entry;
    }

    public void forget(ThreadReference thread) {
        known.remove(thread.uniqueID());
    }

    /** The thread with this id. */
    public ThreadReference get(long id) {
        Known entry = known.get(id);
        if (entry != null) {
            return entry.thread();
        }
        for (ThreadReference thread : vm.allThreads()) {
            if (thread.uniqueID() == id) {
                return remember(thread).thread();
            }
        }
        throw SondeException.notFound("There is no thread " + id + "; `threads` lists them.");
    }

    /** Every live thread, with fresh names and states, sorted by id. */
    public List<ThreadInfo> list() {
        List<ThreadInfo> infos = new ArrayList<>();
        for (ThreadReference thread : vm.allThreads()) {
            try {
                String name = safeName(thread);
                boolean virtual = thread.isVirtual();
                known.put(thread.uniqueID(), new Known(thread, name, virtual));
                infos.add(new ThreadInfo(thread.uniqueID(), name, status(thread), virtual, thread.isSuspended()));
            } catch (ObjectCollectedException gone) {
                known.remove(thread.uniqueID());
            }
        }
        // Virtual threads end without an event (only platform thread deaths are asked for): forget the ones gone.
        java.util.Set<Long> live = new java.util.HashSet<>();
        infos.forEach(info -> live.add(info.id()));
        known.keySet().retainAll(live);
        infos.sort(Comparator.comparingLong(ThreadInfo::id));
        return infos;
    }

    /** Full information about one thread, asked of the target now. */
    public ThreadInfo info(ThreadReference thread) {
        Known entry = remember(thread);
        return new ThreadInfo(thread.uniqueID(), entry.name(), status(thread), entry.virtual(), thread.isSuspended());
    }

    /** The thread called {@code main}, if the target has one. */
    public ThreadReference main() {
        for (ThreadReference thread : vm.allThreads()) {
            if ("main".equals(safeName(thread)) && !thread.isVirtual()) {
                return remember(thread).thread();
            }
        }
        return null;
    }

    /** Whether every live thread is suspended (suspensions count, so suspending again would need one more resume). */
    public boolean allSuspended() {
        for (ThreadReference thread : vm.allThreads()) {
            try {
                if (!thread.isSuspended()) {
                    return false;
                }
            } catch (ObjectCollectedException gone) {
                // an ended thread holds nothing up
            }
        }
        return true;
    }

    /** Whether a thread has ended (virtual threads end without an event). */
    public static boolean isGone(ThreadReference thread) {
        try {
            return thread.status() == ThreadReference.THREAD_STATUS_ZOMBIE;
        } catch (ObjectCollectedException e) {
            return true;
        }
    }

    private static String safeName(ThreadReference thread) {
        try {
            return thread.name();
        } catch (ObjectCollectedException e) {
            return "";
        }
    }

    private static ThreadStatus status(ThreadReference thread) {
        return switch (thread.status()) {
            case ThreadReference.THREAD_STATUS_RUNNING -> ThreadStatus.RUNNING;
            case ThreadReference.THREAD_STATUS_SLEEPING -> ThreadStatus.SLEEPING;
            case ThreadReference.THREAD_STATUS_WAIT -> ThreadStatus.WAITING;
            case ThreadReference.THREAD_STATUS_MONITOR -> ThreadStatus.BLOCKED;
            case ThreadReference.THREAD_STATUS_NOT_STARTED -> ThreadStatus.NOT_STARTED;
            case ThreadReference.THREAD_STATUS_ZOMBIE -> ThreadStatus.TERMINATED;
            default -> ThreadStatus.UNKNOWN;
        };
    }
}
