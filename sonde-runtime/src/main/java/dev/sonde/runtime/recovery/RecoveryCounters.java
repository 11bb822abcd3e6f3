package dev.sonde.runtime.recovery;

import dev.sonde.runtime.stats.SlidingWindow;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** The counters of the policies of one name. */
final class RecoveryCounters {

    final String name;
    final LongAdder calls = new LongAdder();
    final LongAdder attempts = new LongAdder();
    final LongAdder succeededFirstTry = new LongAdder();
    final LongAdder recovered = new LongAdder();
    final LongAdder failedAfterRetries = new LongAdder();
    final LongAdder failedFast = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    final SlidingWindow recoveryTime;

    RecoveryCounters(String name, Duration window) {
        this.name = name;
        this.recoveryTime = new SlidingWindow(window);
    }

    RecoveryStats stats() {
        return new RecoveryStats(name, calls.sum(), attempts.sum(), succeededFirstTry.sum(), recovered.sum(),
                failedAfterRetries.sum(), failedFast.sum(), fallbacks.sum(), recoveryTime.snapshot());
    }
}
