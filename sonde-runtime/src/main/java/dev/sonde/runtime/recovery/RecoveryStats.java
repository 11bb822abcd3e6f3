package dev.sonde.runtime.recovery;

import dev.sonde.runtime.stats.WindowSnapshot;

/**
 * Figures of one recovery policy since start.
 *
 * @param calls              calls made through the policy
 * @param attempts           attempts made, first tries included
 * @param succeededFirstTry  calls that passed at the first attempt
 * @param recovered          calls that failed at first and then passed on a retry
 * @param failedAfterRetries calls whose retries all failed
 * @param failedFast         calls that failed at once because the error was not worth retrying
 * @param fallbacks          calls answered by the fallback
 * @param recoveryTime       for recovered calls, the time from the first failure to the success, over the operations window
 */
public record RecoveryStats(String name, long calls, long attempts, long succeededFirstTry, long recovered,
                            long failedAfterRetries, long failedFast, long fallbacks, WindowSnapshot recoveryTime) {
}
