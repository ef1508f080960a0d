package dev.aimle.cluster.spark;

import java.io.Serializable;

/**
 * What an executor reports for a unit it completed.
 *
 * @param id the unit
 * @param host the executor's host
 * @param executorId Spark's executor id
 * @param attempt 1 for the first attempt, 2 after one retry, ...
 * @param resumedRows rows already in the store when this attempt started
 * @param rows rows published in the end
 * @param unitSeconds the unit's JVM, start to exit
 * @param taskSeconds the whole task: staging, the unit's JVM, publishing
 * @param staging the unit's directory on the executor's local disk (removed at the end)
 */
public record TaskReport(
        String id,
        String host,
        String executorId,
        int attempt,
        int resumedRows,
        int rows,
        double unitSeconds,
        double taskSeconds,
        String staging)
        implements Serializable {
    private static final long serialVersionUID = 1L;
}
