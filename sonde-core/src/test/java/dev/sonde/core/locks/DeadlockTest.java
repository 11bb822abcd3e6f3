package dev.sonde.core.locks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Deadlock cycles found among threads' locks: only threads that block on an owned lock, each cycle once. */
class DeadlockTest {

    private static final LockRef A = new LockRef("com.acme.A", 1, false);
    private static final LockRef B = new LockRef("com.acme.B", 2, true);
    private static final LockRef C = new LockRef("com.acme.C", 3, false);

    private static ThreadLocks thread(long id, String name, LockRef owned, LockRef awaited, ThreadLocks.WaitKind kind, long ownerId) {
        return new ThreadLocks(id, name, owned == null ? List.of() : List.of(owned), awaited, kind, ownerId);
    }

    @Test
    void aThreeThreadCycleIsNamedOnceFromItsLowestThreadId() {
        List<ThreadLocks> threads = List.of(
                thread(30, "t3", C, A, ThreadLocks.WaitKind.ENTER, 10),
                thread(10, "t1", A, B, ThreadLocks.WaitKind.PARK, 20),
                thread(20, "t2", B, C, ThreadLocks.WaitKind.ENTER, 30),
                thread(40, "bystander", null, A, ThreadLocks.WaitKind.ENTER, 10));

        List<Deadlock> found = Deadlock.find(threads);

        assertThat(found).singleElement().satisfies(deadlock -> assertThat(deadlock.describe())
                .isEqualTo("deadlock: t1 holds A@1, waits for B@2 held by t2, which waits for C@3 held by t3, which waits for A@1"));
    }

    @Test
    void objectWaitAndChainsWithoutACycleAreNoDeadlock() {
        List<ThreadLocks> threads = List.of(
                thread(1, "waiter", A, B, ThreadLocks.WaitKind.WAIT, 2),
                thread(2, "holder", B, A, ThreadLocks.WaitKind.ENTER, 1),
                thread(3, "queued", null, B, ThreadLocks.WaitKind.ENTER, 2),
                thread(4, "free", null, null, ThreadLocks.WaitKind.NONE, 0));

        assertThat(Deadlock.find(threads)).isEmpty();
    }
}
