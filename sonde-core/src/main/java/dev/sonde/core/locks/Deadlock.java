package dev.sonde.core.locks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Threads that each wait for a lock the next one holds, the last waiting for one the first holds.
 *
 * @param cycle the threads in the cycle's order, starting with the lowest thread id
 */
public record Deadlock(List<ThreadLocks> cycle) {

    public Deadlock {
        cycle = List.copyOf(cycle);
    }

    /** {@code deadlock: T1 holds A, waits for B held by T2, which waits for A}. */
    public String describe() {
        ThreadLocks first = cycle.get(0);
        ThreadLocks last = cycle.get(cycle.size() - 1);
        StringBuilder text = new StringBuilder("deadlock: ").append(first.threadName())
                .append(" holds ").append(last.awaited().label())
                .append(", waits for ").append(first.awaited().label());
        for (int i = 1; i < cycle.size(); i++) {
            ThreadLocks thread = cycle.get(i);
            text.append(" held by ").append(thread.threadName()).append(", which waits for ").append(thread.awaited().label());
        }
        return text.toString();
    }

    /** The cycles among threads that each block on a lock another holds, each once. */
    public static List<Deadlock> find(List<ThreadLocks> threads) {
        Map<Long, ThreadLocks> byId = new HashMap<>();
        threads.forEach(t -> byId.put(t.threadId(), t));
        Set<Long> seen = new HashSet<>();
        List<Deadlock> found = new ArrayList<>();
        for (ThreadLocks start : threads) {
            List<ThreadLocks> path = new ArrayList<>();
            ThreadLocks at = start;
            while (at != null && !seen.contains(at.threadId())) {
                seen.add(at.threadId());
                path.add(at);
                at = blocksOn(at, byId);
            }
            int cycleStart = at == null ? -1 : path.indexOf(at);
            if (cycleStart >= 0) {
                found.add(new Deadlock(fromLowestId(path.subList(cycleStart, path.size()))));
            }
        }
        return found;
    }

    /** The thread whose lock {@code thread} cannot go on without, or null. */
    private static ThreadLocks blocksOn(ThreadLocks thread, Map<Long, ThreadLocks> byId) {
        if (thread.awaited() == null || !thread.waitKind().blocks() || thread.ownerId() == 0 || thread.ownerId() == thread.threadId()) {
            return null;
        }
        return byId.get(thread.ownerId());
    }

    private static List<ThreadLocks> fromLowestId(List<ThreadLocks> cycle) {
        int lowest = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (cycle.get(i).threadId() < cycle.get(lowest).threadId()) {
                lowest = i;
            }
        }
        List<ThreadLocks> rotated = new ArrayList<>(cycle.subList(lowest, cycle.size()));
        rotated.addAll(cycle.subList(0, lowest));
        return rotated;
    }
}
