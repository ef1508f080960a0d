package dev.aimle.app.harness;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.aimle.app.plugins.AppInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where and with what a run was made, for {@code run.json}: versions (aimle, SPI, Java, DJL, the
 * engine), the device, and the host.
 *
 * @param versions name to version
 * @param device the DJL device the arrays live on, e.g. {@code cpu()}
 * @param host host name, operating system, architecture, processors, maximum heap
 */
public record RunEnvironment(Map<String, String> versions, String device, Map<String, Object> host) {

    /** Copies the maps. */
    public RunEnvironment {
        versions = Map.copyOf(versions);
        host = Map.copyOf(host);
    }

    /** This process's environment; starts the default engine if it is not started yet. */
    public static RunEnvironment current(Device device) {
        Map<String, String> versions = new LinkedHashMap<>();
        AppInfo app = AppInfo.current();
        versions.put("aimle", app.appVersion());
        versions.put("spi", app.spiVersion());
        versions.put(
                "java",
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                        + System.getProperty("java.vendor") + ")");
        versions.put("djl", Engine.getDjlVersion());
        Engine engine = Engine.getInstance();
        versions.put("engine", engine.getEngineName() + " " + engine.getVersion());
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("name", hostName());
        host.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        host.put("arch", System.getProperty("os.arch"));
        host.put("processors", Runtime.getRuntime().availableProcessors());
        host.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        return new RunEnvironment(versions, device.toString(), host);
    }

    /** The resident set size of this process in MiB, from /proc (NaN where there is none). */
    public static double residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown" : env;
        }
    }

    /** As ordered maps for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("versions", new TreeMap<>(versions));
        m.put("device", device);
        m.put("host", new TreeMap<>(host));
        return m;
    }
}
