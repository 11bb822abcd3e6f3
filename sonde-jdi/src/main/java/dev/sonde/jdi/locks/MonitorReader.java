package dev.sonde.jdi.locks;

import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.locks.Deadlock;
import dev.sonde.core.locks.LockRef;
import dev.sonde.core.locks.MonitorReport;
import dev.sonde.core.locks.ThreadLocks;
import dev.sonde.jdi.threads.ThreadDirectory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every thread's monitors and {@code java.util.concurrent} locks through JDWP alone: a thread's owned monitors and the
 * one it is contending for come from the JVM; a j.u.c. lock is an {@code AbstractOwnableSynchronizer} whose
 * {@code exclusiveOwnerThread} field names its owner, and a thread parked on one has it as its {@code parkBlocker}.
 * The reads need every thread suspended: a running target is suspended for them and resumed at once.
 */
public final class MonitorReader {

    private static final String SYNCHRONIZER = "java.util.concurrent.locks.AbstractOwnableSynchronizer";
    /**
     * How many j.u.c. lock objects are read to find the locks each thread owns: each costs a round trip while the target
     * is suspended. Past them a thread's owned j.u.c. locks may be incomplete; what it waits for never is.
     */
    private static final int SYNCHRONIZERS_READ = 1_000;

    private final VirtualMachine vm;
    private final ThreadDirectory threads;

    public MonitorReader(VirtualMachine vm, ThreadDirectory threads) {
        this.vm = vm;
        this.threads = threads;
    }

    public MonitorReport read() {
        if (!vm.canGetOwnedMonitorInfo() || !vm.canGetCurrentContendedMonitor() || !vm.canGetMonitorInfo()) {
            throw new SondeException(ErrorKind.UNSUPPORTED, "This JVM's debug agent cannot report monitors; `monitors` needs a HotSpot JVM.");
        }
        // What does not change while the target runs is read before it is suspended, to keep the suspension short.
        Map<ThreadReference, String> names = new LinkedHashMap<>();
        for (ThreadReference thread : vm.allThreads()) {
            try {
                String name = thread.name();
                names.put(thread, name == null || name.isEmpty() ? "thread#" + thread.uniqueID() : name);
            } catch (ObjectCollectedException gone) {
                // ended: it holds nothing
            }
        }
        SynchronizerClasses classes = synchronizerClasses();
        boolean suspend = !threads.allSuspended();
        long start = System.nanoTime();
        List<ThreadLocks> all;
        if (suspend) {
            vm.suspend();
        }
        try {
            all = readAll(names, classes);
        } finally {
            if (suspend) {
                vm.resume();
            }
        }
        long suspendedMillis = suspend ? (System.nanoTime() - start) / 1_000_000 : -1;
        return new MonitorReport(all, Deadlock.find(all), suspendedMillis);
    }

    private List<ThreadLocks> readAll(Map<ThreadReference, String> names, SynchronizerClasses classes) {
        Synchronizers synchronizers = synchronizers(classes);
        List<ThreadLocks> all = new ArrayList<>();
        names.forEach((thread, name) -> {
            try {
                all.add(read(thread, name, synchronizers));
            } catch (ObjectCollectedException | IncompatibleThreadStateException gone) {
                // ended while we looked (or not suspended after all): it holds nothing now
            }
        });
        all.sort(Comparator.comparingLong(ThreadLocks::threadId));
        return all;
    }

    private ThreadLocks read(ThreadReference thread, String name, Synchronizers synchronizers) throws IncompatibleThreadStateException {
        List<LockRef> owned = new ArrayList<>();
        for (ObjectReference monitor : thread.ownedMonitors()) {
            owned.add(new LockRef(monitor.referenceType().name(), monitor.uniqueID(), false));
        }
        owned.addAll(synchronizers.ownedBy.getOrDefault(thread.uniqueID(), List.of()));

        ObjectReference contended = thread.currentContendedMonitor();
        if (contended != null) {
            ThreadLocks.WaitKind kind = thread.status() == ThreadReference.THREAD_STATUS_MONITOR ? ThreadLocks.WaitKind.ENTER
                    : ThreadLocks.WaitKind.WAIT;
            ThreadReference owner = contended.owningThread();
            return new ThreadLocks(thread.uniqueID(), name, owned, new LockRef(contended.referenceType().name(), contended.uniqueID(), false),
                    kind, owner == null ? 0 : owner.uniqueID());
        }
        if (synchronizers.parkBlocker != null && thread.getValue(synchronizers.parkBlocker) instanceof ObjectReference blocker
                && synchronizers.isSynchronizer(blocker.referenceType())) {
            ThreadReference owner = synchronizers.owner(blocker);
            return new ThreadLocks(thread.uniqueID(), name, owned, new LockRef(blocker.referenceType().name(), blocker.uniqueID(), true),
                    ThreadLocks.WaitKind.PARK, owner == null ? 0 : owner.uniqueID());
        }
        return new ThreadLocks(thread.uniqueID(), name, owned, null, ThreadLocks.WaitKind.NONE, 0);
    }

    /**
     * The class of j.u.c. locks, the fields that name a lock's owner and a parked thread's lock, and the lock objects in
     * the heap. The heap is walked before the target is suspended: a lock made in between is missed from the locks a
     * thread owns, never from what a thread waits for (that is read from the thread itself).
     */
    private record SynchronizerClasses(Field parkBlocker, ClassType base, Field ownerField, List<ObjectReference> locks) {
    }

    private SynchronizerClasses synchronizerClasses() {
        Field parkBlocker = vm.classesByName("java.lang.Thread").stream().findFirst().map(t -> t.fieldByName("parkBlocker")).orElse(null);
        List<ReferenceType> base = vm.classesByName(SYNCHRONIZER);
        if (base.isEmpty() || !(base.get(0) instanceof ClassType synchronizer)) {
            return new SynchronizerClasses(parkBlocker, null, null, List.of());
        }
        List<ReferenceType> subclasses = new ArrayList<>();
        Deque<ClassType> pending = new ArrayDeque<>(synchronizer.subclasses());
        while (!pending.isEmpty()) {
            ClassType type = pending.pop();
            subclasses.add(type);
            pending.addAll(type.subclasses());
        }
        List<ObjectReference> locks = new ArrayList<>();
        if (!subclasses.isEmpty() && vm.canGetInstanceInfo()) {
            long[] counts = vm.instanceCounts(subclasses);
            for (int i = 0; i < subclasses.size() && locks.size() < SYNCHRONIZERS_READ; i++) {
                if (counts[i] > 0) {
                    locks.addAll(subclasses.get(i).instances(SYNCHRONIZERS_READ - locks.size()));
                }
            }
        }
        return new SynchronizerClasses(parkBlocker, synchronizer, synchronizer.fieldByName("exclusiveOwnerThread"), locks);
    }

    /** The j.u.c. locks that a thread owns, by the owner's id. */
    private Synchronizers synchronizers(SynchronizerClasses classes) {
        Map<Long, List<LockRef>> ownedBy = new HashMap<>();
        Synchronizers found = new Synchronizers(classes.parkBlocker(), classes.base(), classes.ownerField(), ownedBy);
        for (ObjectReference lock : classes.locks()) {
            try {
                ThreadReference owner = found.owner(lock);
                if (owner != null) {
                    ownedBy.computeIfAbsent(owner.uniqueID(), id -> new ArrayList<>())
                            .add(new LockRef(lock.referenceType().name(), lock.uniqueID(), true));
                }
            } catch (ObjectCollectedException gone) {
                // collected since the heap walk: nobody owns it
            }
        }
        return found;
    }

    private record Synchronizers(Field parkBlocker, ClassType base, Field ownerField, Map<Long, List<LockRef>> ownedBy) {

        boolean isSynchronizer(ReferenceType type) {
            for (ClassType at = type instanceof ClassType c ? c : null; at != null; at = at.superclass()) {
                if (at.equals(base)) {
                    return true;
                }
            }
            return false;
        }

        ThreadReference owner(ObjectReference lock) {
            return ownerField != null && lock.getValue(ownerField) instanceof ThreadReference owner ? owner : null;
        }
    }
}
