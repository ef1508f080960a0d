package dev.aimle.cluster.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** On an executor as here, a unit is done only when its rows are committed, whatever its exit code. */
class UnitTaskTest {
    @Test
    void aUnitThatExitsZeroBeforeItsRowsAreCommittedFailsItsTaskSoSparkRetriesIt() {
        assertEquals(
                "unit a failed on h (executor 1, attempt 1): its process ended with exit 0 after 1 of 3 rows were"
                        + " committed (a plugin or library ended the JVM early)",
                UnitTask.shortfall("a", "h (executor 1, attempt 1)", 1, 3));
        assertNull(UnitTask.shortfall("a", "h", 3, 3));
    }
}
