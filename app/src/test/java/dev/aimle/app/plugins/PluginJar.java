package dev.aimle.app.plugins;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.aimle.api.MapSolverProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.pf4j.Plugin;

/**
 * Builds a third-party plugin jar at test time, as a plugin author's build would: fixture Java
 * sources (test resources {@code plugin-fixture/*.java.txt}) compiled with {@link JavaCompiler}
 * against the aimle-api, DJL api and PF4J jars only, a PF4J descriptor in the manifest, and the
 * services file. Options produce the broken variants the loader must report.
 */
final class PluginJar {
    private final String id;
    private String version = "1.2.3";
    private String requires = AppInfo.current().spiVersion();
    private String solver;
    private boolean descriptor = true;
    private boolean directoryEntries = true;
    private boolean failingPluginClass;
    private boolean bundleApi;
    private final List<String> extraServiceLines = new ArrayList<>();
    private boolean throwingProvider;
    private String dependencies;
    private String fault;
    private String builtAgainst;
    private String fileName;

    private PluginJar(String id) {
        this.id = id;
        this.solver = id + "-solver";
    }

    /** A valid plugin with id {@code id} providing the solver {@code <id>-solver}. */
    static PluginJar plugin(String id) {
        return new PluginJar(id);
    }

    PluginJar version(String v) {
        this.version = v;
        return this;
    }

    PluginJar requires(String r) {
        this.requires = r;
        return this;
    }

    PluginJar solver(String name) {
        this.solver = name;
        return this;
    }

    /** Leave the PF4J descriptor out of the manifest. */
    PluginJar withoutDescriptor() {
        this.descriptor = false;
        return this;
    }

    /** Write no directory entries (some build tools do not), only files. */
    PluginJar withoutDirectoryEntries() {
        this.directoryEntries = false;
        return this;
    }

    /** Declare a Plugin-Class whose start() throws. */
    PluginJar failingOnStart() {
        this.failingPluginClass = true;
        return this;
    }

    /** Put a copy of the aimle-api classes inside, the mistake PF4J silently punishes. */
    PluginJar bundlingTheApi() {
        this.bundleApi = true;
        return this;
    }

    /** List a provider class that is not in the jar. */
    PluginJar listingMissingProvider(String className) {
        extraServiceLines.add(className);
        return this;
    }

    /** Add a provider whose constructor throws. */
    PluginJar withThrowingProvider() {
        this.throwingProvider = true;
        return this;
    }

    /** Declare {@code Plugin-Dependencies}. */
    PluginJar dependingOn(String pluginDependencies) {
        this.dependencies = pluginDependencies;
        return this;
    }

    /**
     * Replace the good provider by {@code FaultyProvider} with this fault: {@code constructor-throws},
     * {@code constructor-hangs}, {@code constructor-exits}, {@code null-name}, {@code blank-name}, {@code invalid-name}, {@code
     * create-hangs}, {@code solve-hangs}, {@code solve-nan}, {@code solve-half}, {@code solve-int32}, {@code solve-aliased},
     * {@code solve-throws}, {@code solve-halts} ({@code Runtime.halt(0)}), {@code solve-bottom} (argmin: well-formed,
     * wrong), {@code solve-oom} (OutOfMemoryError).
     */
    PluginJar withFault(String f) {
        this.fault = f;
        return this;
    }

    /** Record in the manifest that the plugin was built against this SPI version. */
    PluginJar builtAgainst(String spiVersion) {
        this.builtAgainst = spiVersion;
        return this;
    }

    /** Name the jar {@code name} instead of {@code <id>.jar}, e.g. to sort before another. */
    PluginJar fileName(String name) {
        this.fileName = name;
        return this;
    }

    /** The jar's file name. */
    String jarName() {
        return fileName != null ? fileName : id + ".jar";
    }

    String solverName() {
        return solver;
    }

    String label() {
        return id + "@" + version;
    }

    String packageName() {
        return "com.example.fixture." + id.replaceAll("[^A-Za-z0-9]", "_");
    }

    /**
     * Compiles the fixture and writes {@link #jarName()} into {@code pluginsDir}.
     *
     * @param workDir scratch space for sources and classes (not the plugins directory)
     */
    Path writeTo(Path pluginsDir, Path workDir) throws IOException {
        Path src = Files.createDirectories(workDir.resolve(jarName() + "-src"));
        Path classes = Files.createDirectories(workDir.resolve(jarName() + "-classes"));
        List<Path> sources = new ArrayList<>();
        String provider = fault == null ? "FixtureSolverProvider" : "FaultyProvider";
        sources.add(writeSource(src, provider));
        if (failingPluginClass) {
            sources.add(writeSource(src, "FailingPlugin"));
        }
        if (throwingProvider) {
            sources.add(writeSource(src, "ThrowingProvider"));
        }
        compile(sources, classes);

        Map<String, byte[]> entries = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                entries.put(classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
        StringBuilder services = new StringBuilder("# providers of the fixture\n");
        services.append(packageName()).append('.').append(provider).append('\n');
        if (throwingProvider) {
            services.append(packageName()).append(".ThrowingProvider\n");
        }
        extraServiceLines.forEach(line -> services.append(line).append('\n'));
        entries.put(
                "META-INF/services/" + MapSolverProvider.class.getName(),
                services.toString().getBytes(StandardCharsets.UTF_8));
        if (bundleApi) {
            entries.putAll(classesUnder(codeSource(MapSolverProvider.class), "dev/aimle/api/"));
        }

        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (descriptor) {
            main.putValue("Plugin-Id", id);
            main.putValue("Plugin-Version", version);
            main.putValue("Plugin-Requires", requires);
            main.putValue("Plugin-Provider", "Example Corp (test fixture)");
            main.putValue("Plugin-Description", "A third-party solver plugin built by the tests");
            if (failingPluginClass) {
                main.putValue("Plugin-Class", packageName() + ".FailingPlugin");
            }
            if (builtAgainst != null) {
                main.putValue(PluginLoader.BUILT_AGAINST_ATTRIBUTE, builtAgainst);
            }
            if (dependencies != null) {
                main.putValue("Plugin-Dependencies", dependencies);
            }
        }
        Path jar = pluginsDir.resolve(jarName());
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jos = new JarOutputStream(out, manifest)) {
            TreeSet<String> written = new TreeSet<>();
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                if (directoryEntries) {
                    writeParents(jos, e.getKey(), written);
                }
                jos.putNextEntry(new JarEntry(e.getKey()));
                jos.write(e.getValue());
                jos.closeEntry();
            }
        }
        return jar;
    }

    private static void writeParents(JarOutputStream jos, String name, TreeSet<String> written) throws IOException {
        int slash = name.indexOf('/');
        while (slash >= 0) {
            String dir = name.substring(0, slash + 1);
            if (!dir.equals("META-INF/") && written.add(dir)) {
                jos.putNextEntry(new JarEntry(dir));
                jos.closeEntry();
            }
            slash = name.indexOf('/', slash + 1);
        }
    }

    private Path writeSource(Path src, String className) throws IOException {
        String template;
        try (InputStream in = PluginJar.class.getResourceAsStream("/plugin-fixture/" + className + ".java.txt")) {
            assertNotNull(in, "fixture source plugin-fixture/" + className + ".java.txt is missing");
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String source = template.replace("@PACKAGE@", packageName())
                .replace("@SOLVER@", solver)
                .replace("@FAULT@", fault == null ? "none" : fault);
        Path dir = Files.createDirectories(src.resolve(packageName().replace('.', '/')));
        Path file = dir.resolve(className + ".java");
        Files.writeString(file, source);
        return file;
    }

    /** Compiles against exactly what a plugin author has: aimle-api, DJL's api and PF4J. */
    private static void compile(List<Path> sources, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK (javax.tools.JavaCompiler), not a JRE");
        String classpath = String.join(
                File.pathSeparator,
                codeSource(MapSolverProvider.class).toString(),
                codeSource(NDArray.class).toString(),
                codeSource(Plugin.class).toString());
        List<String> args = new ArrayList<>(List.of(
                "--release",
                "17",
                "-proc:none",
                "-Xlint:all",
                "-Werror",
                "-classpath",
                classpath,
                "-d",
                classes.toString()));
        sources.forEach(s -> args.add(s.toString()));
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int code = javac.run(null, null, diagnostics, args.toArray(String[]::new));
        assertTrue(code == 0, "the fixture does not compile: " + diagnostics.toString(StandardCharsets.UTF_8));
    }

    /** The jar or directory a class was loaded from. */
    static Path codeSource(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("code source of " + type.getName() + " is not a path", e);
        }
    }

    private static Map<String, byte[]> classesUnder(Path codeSource, String prefix) throws IOException {
        Map<String, byte[]> result = new LinkedHashMap<>();
        if (Files.isDirectory(codeSource)) {
            Path root = codeSource.resolve(prefix);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    result.put(prefix + root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
        } else {
            try (JarFile jar = new JarFile(codeSource.toFile())) {
                for (JarEntry e : Collections.list(jar.entries())) {
                    if (e.getName().startsWith(prefix) && e.getName().endsWith(".class")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            result.put(e.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        }
        assertTrue(!result.isEmpty(), "no classes under " + prefix + " in " + codeSource);
        return result;
    }
}
