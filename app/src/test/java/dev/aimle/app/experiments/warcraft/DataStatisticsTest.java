package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DataStatisticsTest {
    @Test
    void handMadeSplit() {
        // two 2x2 maps: costs {1,1,1,1} with a 2-cell path, {1,3,3,1} with a 3-cell path
        float[] weights = {1, 1, 1, 1, 1, 3, 3, 1};
        float[] paths = {1, 0, 0, 1, 1, 1, 0, 1};
        WarcraftSplit split = new WarcraftSplit("test", 2, 2, 2, new byte[2 * 2 * 2 * 3], weights, paths);
        DataStatistics s = DataStatistics.of(split);
        assertEquals(2, s.maps());
        assertEquals(2.5, s.pathLengthMean(), 1e-12);
        assertEquals(0.5, s.pathLengthStd(), 1e-12);
        assertEquals((2 + 5) / 2.0, s.pathCostMean(), 1e-12); // 1+1 and 1+3+1
        assertEquals(1.5, s.pathCostStd(), 1e-12);
        assertEquals(1.5, s.costMean(), 1e-12);
        assertEquals(Math.sqrt(6 * 0.25 + 2 * 2.25) / Math.sqrt(8), s.costStd(), 1e-12);
        assertEquals(Map.of(1f, 0.75, 3f, 0.25), s.costShares());
        assertTrue(s.describe().contains("path length 2.50 ± 0.50 cells"), s.describe());
        assertTrue(s.describe().contains("1.0:75.0% 3.0:25.0%"), s.describe());
    }
}
