package dev.sonde.dap.server.threads;

import dev.sonde.core.error.SondeException;

import java.util.HashMap;
import java.util.Map;

/**
 * DAP thread ids (ints) for Sonde thread ids (longs), stable for the session. A Sonde id that fits keeps its
 * number, so the ids a client shows match Sonde's own; any other gets a free number counting down from the top.
 */
public final class ThreadIds {

    private final Map<Long, Integer> bySonde = new HashMap<>();
    private final Map<Integer, Long> byDap = new HashMap<>();
    private int nextSpare = Integer.MAX_VALUE;

    public synchronized int dapId(long sondeId) {
        Integer known = bySonde.get(sondeId);
        if (known != null) {
            return known;
        }
        int id;
        if (sondeId > 0 && sondeId <= Integer.MAX_VALUE && !byDap.containsKey((int) sondeId)) {
            id = (int) sondeId;
        } else {
            while (byDap.containsKey(nextSpare)) {
                nextSpare--;
            }
            id = nextSpare--;
        }
        bySonde.put(sondeId, id);
        byDap.put(id, sondeId);
        return id;
    }

    public synchronized long sondeId(int dapId) {
        Long sondeId = byDap.get(dapId);
        if (sondeId == null) {
            throw SondeException.notFound("There is no thread " + dapId + "; ask for the threads again.");
        }
        return sondeId;
    }

    /** Forgets a thread that has ended. */
    public synchronized void forget(long sondeId) {
        Integer id = bySonde.remove(sondeId);
        if (id != null) {
            byDap.remove(id);
        }
    }
}
