package dev.sonde.demo;

import java.util.concurrent.CountDownLatch;

/**
 * The books, kept by two clerks that each need the accounts and the journal, but take them in
 * opposite orders. Started (only with {@code --deadlock}), they deadlock within milliseconds; the
 * orders keep flowing, since they never touch the books.
 */
final class Ledger {

    /** The lock on the accounts. */
    private static final class Accounts {
    }

    /** The lock on the journal. */
    private static final class Journal {
    }

    private final Accounts accounts = new Accounts();
    private final Journal journal = new Journal();
    private final CountDownLatch bothHoldOne = new CountDownLatch(2);

    void startClerks() {
        clerk("ledger-refunds", accounts, journal).start();
        clerk("ledger-audit", journal, accounts).start();
    }

    private Thread clerk(String name, Object first, Object second) {
        Thread clerk = new Thread(() -> {
            synchronized (first) {
                bothHoldOne.countDown();
                awaitTheOther();
                synchronized (second) {
                    System.out.println(name + " balanced the books");
                }
            }
        }, name);
        clerk.setDaemon(true);
        return clerk;
    }

    private void awaitTheOther() {
        try {
            bothHoldOne.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
