package dev.aimle.app.experiments.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimle.app.cli.CliRun;
import dev.aimle.app.experiments.nri.NriRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aimle units} on this machine ({@link LocalUnitExecutor}): units a sweep prepared with
 * {@code --report-only} give the rows the sweep gives by itself, a complete unit is left as it is,
 * and a failing unit fails the command, named, while the others complete.
 */
class UnitsCommandIT {
    @TempDir
    Path home;

    private CliRun aimle(String... args) {
        List<String> all = new ArrayList<>(List.of("--plugins-dir", System.getProperty("aimle.plugins.built")));
        all.addAll(List.of(args));
        return CliRun.run(Map.of(), home, all.toArray(String[]::new));
    }

    private CliRun nri(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "nri",
                "--data",
                data.toString(),
                "--out",
                out.toString(),
                "--methods",
                "aimle-central,ste",
                "--timesteps",
                "10",
                "--batch",
                "16",
                "--hidden",
                "16",
                "--iterations",
                "8",
                "--eval-every",
                "4",
                "--parallel",
                "2"));
        args.addAll(List.of(extra));
        return aimle(args.toArray(String[]::new));
    }

    @Test
    void preparedUnitsRunHereGiveTheSweepsRows() throws IOException {
        Path data = home.resolve("data");
        CliRun generated = aimle(
                "nri",
                "generate",
                "--out",
                data.toString(),
                "--timesteps",
                "10",
                "--train",
                "96",
                "--valid",
                "40",
                "--test",
                "40",
                "--progress",
                "none");
        assertEquals(0, generated.code(), generated.describe());
        Path straight = home.resolve("straight");
        assertEquals(0, nri(data, straight).code());

        Path prepared = home.resolve("prepared");
        assertEquals(0, nri(data, prepared, "--report-only").code());
        Path broken = prepared.resolve("ste_T10_seed0");
        Files.writeString(
                broken.resolve("spec.json"),
                Files.readString(broken.resolve("spec.json")).replace(data.toString(), data + "-missing"));
        CliRun r = aimle("units", "--command", "nri-unit", "--parallel", "2", prepared.toString());
        assertEquals(1, r.code(), r.describe());
        assertTrue(r.out().contains("units: 2 runs 2 at a time on this machine"), r.describe());
        assertTrue(r.out().matches("(?s).*\\[\\d/2, \\d+ s] aimle-central_T10_seed0 done.*"), r.describe());
        assertTrue(r.err().contains("1 of 2 runs failed: ste_T10_seed0 (exit 1: "), r.describe());
        assertEquals(
                numbers(straight.resolve("aimle-central_T10_seed0")),
                numbers(prepared.resolve("aimle-central_T10_seed0")));

        // mended, it runs; the complete one starts, finds itself complete and keeps its rows
        Files.writeString(
                broken.resolve("spec.json"),
                Files.readString(broken.resolve("spec.json")).replace(data + "-missing", data.toString()));
        String before =
                Files.readString(prepared.resolve("aimle-central_T10_seed0").resolve(NriRun.CSV));
        CliRun again = aimle("units", "--command", "nri-unit", "--parallel", "2", prepared.toString());
        assertEquals(0, again.code(), again.describe());
        assertEquals(
                before,
                Files.readString(prepared.resolve("aimle-central_T10_seed0").resolve(NriRun.CSV)));
        assertEquals(numbers(straight.resolve("ste_T10_seed0")), numbers(prepared.resolve("ste_T10_seed0")));
    }

    @Test
    void badInputIsRefusedNamingIt() {
        CliRun command = aimle("units", "--command", "nri", home.toString());
        assertEquals(2, command.code(), command.describe());
        assertTrue(
                command.err().contains("--command (nri) must be dvae-unit, nri-unit or l2x-unit"), command.describe());
        CliRun empty = aimle("units", "--command", "nri-unit", home.toString());
        assertEquals(2, empty.code(), empty.describe());
        assertTrue(empty.err().contains("holds no unit directory"), empty.describe());
        CliRun remote = aimle("units", "--command", "nri-unit", "hdfs://nn/runs/nri");
        assertEquals(2, remote.code(), remote.describe());
        assertTrue(remote.err().contains("give --master URL"), remote.describe());
        CliRun noSpark =
                aimle("units", "--command", "nri-unit", "--master", "spark://h:7077", "--units", "a", home.toString());
        assertEquals(1, noSpark.code(), noSpark.describe());
        assertTrue(noSpark.err().contains("needs a cluster executor on the class path"), noSpark.describe());
    }

    /** The rows without the wall time and memory columns. */
    private static List<String> numbers(Path unit) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(unit.resolve(NriRun.CSV))) {
            String[] cells = line.split(",", -1);
            rows.add(String.join(",", List.of(cells).subList(0, NriRun.COLUMNS.indexOf("seconds"))));
        }
        assertEquals(3, rows.size(), rows.toString());
        return rows;
    }
}
