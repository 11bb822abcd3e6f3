package dev.sonde.runtime.resources.tasks;

import dev.sonde.runtime.stats.WindowSnapshot;

/**
 * Figures of one wrapped executor.
 *
 * @param queued      submitted and not started yet
 * @param running     started and not ended yet
 * @param completed   ended normally
 * @param failed      ended by throwing
 * @param rejected    refused by the executor
 * @param timeInQueue how long tasks waited before starting, over the operations window
 */
public record ExecutorStats(String name, long queued, long running, long completed, long failed, long rejected,
                            WindowSnapshot timeInQueue) {
}
