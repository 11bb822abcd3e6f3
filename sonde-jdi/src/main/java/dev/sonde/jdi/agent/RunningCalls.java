package dev.sonde.jdi.agent;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.InvalidStackFrameException;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.model.Location;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/**
 * Whether a thread is inside one call of a method that does not end (a loop in main, a worker's run method), which
 * code the agent rewrites would never reach: the same call is seen in three looks 50 ms apart, so a method that is
 * merely called often does not count.
 *
 * <p>A look holds one thread at a time, never the whole target: resuming the target makes JDI forget the frames of every
 * thread, also those of a thread held by its own event whose JDWP logpoint or snapshot is being read at that moment
 * (it would fail with "Thread has been resumed"). A thread already held by someone else is left alone: its call tells
 * nothing (a JDWP probe holds it briefly in a method that may well end), so it counts only in looks that find it free,
 * and more looks are taken, up to {@link #MAX_LOOKS}, while threads were held. A thread the user paused is read as it
 * is: its call does not end while it stays paused.
 */
public final class RunningCalls {

    private static final int LOOKS = 3;
    private static final int MAX_LOOKS = 8;
    private static final long LOOK_INTERVAL_MILLIS = 50;

    private final VirtualMachine vm;
    private final Object resuming;
    private final LongPredicate pausedByUser;
    private final BooleanSupplier allSuspended;

    /**
     * @param resuming     the backend's lock held while the target is resumed; held during a look so that the event loop
     *                     starts no event set whose thread a look holds
     * @param pausedByUser whether the user paused the thread of this id (it stays suspended until they resume it)
     * @param allSuspended whether every thread is held (then nothing runs)
     */
    public RunningCalls(VirtualMachine vm, Object resuming, LongPredicate pausedByUser, BooleanSupplier allSuspended) {
        this.vm = vm;
        this.resuming = resuming;
        this.pausedByUser = pausedByUser;
        this.allSuspended = allSuspended;
    }

    /** One look: the calls seen on threads read, as thread id and depth from the stack's bottom, and the threads read. */
    private record Look(Set<Call> calls, Set<Long> read, boolean someHeld) {
    }

    private record Call(long threadId, int depth) {
    }

    /** Whether a thread is inside a call of the method of {@code at} that stays there over three looks. */
    public boolean running(Location at) {
        if (allSuspended.getAsBoolean()) {
            return false;
        }
        Map<Long, Integer> looksRead = new HashMap<>();
        Map<Call, Integer> seen = new HashMap<>();
        Set<Call> ruledOut = new HashSet<>();
        for (int look = 0; look < MAX_LOOKS; look++) {
            if (look > 0 && !pause()) {
                break;
            }
            Look now = look(at);
            now.read().forEach(thread -> looksRead.merge(thread, 1, Integer::sum));
            now.calls().forEach(call -> seen.merge(call, 1, Integer::sum));
            // A call is still a candidate while every look that read its thread saw it.
            for (Call call : seen.keySet()) {
                if (!seen.get(call).equals(looksRead.get(call.threadId()))) {
                    ruledOut.add(call);
                }
            }
            boolean candidates = false;
            for (Map.Entry<Call, Integer> call : seen.entrySet()) {
                if (!ruledOut.contains(call.getKey())) {
                    if (call.getValue() >= LOOKS) {
                        return true;
                    }
                    candidates = true;
                }
            }
            if (!candidates && !now.someHeld()) {
                // Nothing seen that could still be the same call, and no thread whose call is unknown.
                return false;
            }
        }
        // Looks ran out while threads were held: a call seen by every look that read its thread counts.
        return seen.keySet().stream().anyMatch(call -> !ruledOut.contains(call));
    }

    private static boolean pause() {
        try {
            Thread.sleep(LOOK_INTERVAL_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Look look(Location at) {
        Set<Call> calls = new HashSet<>();
        Set<Long> read = new HashSet<>();
        boolean someHeld = false;
        synchronized (resuming) {
            for (ThreadReference thread : vm.allThreads()) {
                try {
                    long id = thread.uniqueID();
                    if (pausedByUser.test(id) && thread.isSuspended()) {
                        collect(thread, at, calls);
                        read.add(id);
                    } else if (thread.isSuspended()) {
                        // held by an event being handled: its frames are being read, and resuming it would spoil them
                        someHeld = true;
                    } else if (readSuspended(thread, at, calls)) {
                        read.add(id);
                    } else {
                        someHeld = true;
                    }
                } catch (IncompatibleThreadStateException | ObjectCollectedException | InvalidStackFrameException gone) {
                    // a thread that ended, never ran or moved on meanwhile tells nothing
                }
            }
        }
        return new Look(calls, read, someHeld);
    }

    /** Reads a running thread's calls with only that thread held; false when an event took it first (left unread). */
    private static boolean readSuspended(ThreadReference thread, Location at, Set<Call> calls) throws IncompatibleThreadStateException {
        thread.suspend();
        try {
            if (thread.suspendCount() > 1) {
                return false;
            }
            collect(thread, at, calls);
            return true;
        } finally {
            thread.resume();
        }
    }

    private static void collect(ThreadReference thread, Location at, Set<Call> calls) throws IncompatibleThreadStateException {
        List<StackFrame> frames = thread.frames();
        for (int i = 0; i < frames.size(); i++) {
            Method method = frames.get(i).location().method();
            if (method.name().equals(at.method()) && method.declaringType().name().equals(at.className())) {
                calls.add(new Call(thread.uniqueID(), frames.size() - i));
            }
        }
    }
}
