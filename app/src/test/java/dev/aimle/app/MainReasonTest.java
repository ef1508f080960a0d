package dev.aimle.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The one-line reason of a failure: our messages plain, a JDK exception with its class. */
class MainReasonTest {
    @Test
    void anIOExceptionOfOursIsItsMessageAndAJdkOneKeepsItsName() {
        assertEquals(
                "/d/model.params is damaged: its CRC-32C differs",
                Main.reason(new IOException("/d/model.params is damaged: its CRC-32C differs")));
        assertEquals(
                "java.nio.file.NoSuchFileException: /d/progress.json",
                Main.reason(new NoSuchFileException("/d/progress.json")));
    }
}
