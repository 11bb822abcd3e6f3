package dev.sonde.runtime.threads;

import java.lang.ref.Cleaner;

/** The one cleaner thread of the library: finds scopes and resources that were collected while still open. */
public final class RuntimeCleaner {

    private static final Cleaner CLEANER = Cleaner.create(task -> {
        Thread thread = new Thread(task, "sonde-runtime-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    private RuntimeCleaner() {
    }

    public static Cleaner.Cleanable register(Object watched, Runnable whenCollected) {
        return CLEANER.register(watched, whenCollected);
    }
}
