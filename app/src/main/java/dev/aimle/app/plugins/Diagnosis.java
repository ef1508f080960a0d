package dev.aimle.app.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;

/**
 * Turns PF4J's failures into one-line causes a plugin author can act on. PF4J's own messages are
 * often generic ("No PluginDescriptorFinder for plugin ..."); where the file itself tells the real
 * cause (not a zip, no {@code Plugin-Id}, a bundled copy of the SPI) these say that instead.
 */
final class Diagnosis {
    private static final int MAX_CAUSES = 5;

    private Diagnosis() {}

    /** Why the plugin at {@code path} could not be loaded. */
    static String loadFailure(Path path, RuntimeException e) {
        return inspect(path).orElseGet(() -> message(e));
    }

    /** The first problem with the archive or directory itself, if any. */
    static Optional<String> inspect(Path path) {
        if (Files.isDirectory(path)) {
            boolean properties = Files.isRegularFile(path.resolve("plugin.properties"));
            Path manifest = path.resolve("classes/META-INF/MANIFEST.MF");
            if (!properties && !hasPluginId(manifest)) {
                return Optional.of("no PF4J plugin descriptor: neither plugin.properties nor a Plugin-Id in "
                        + "classes/META-INF/MANIFEST.MF");
            }
            return Optional.empty();
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            Manifest manifest = jar.getManifest();
            boolean properties = jar.getEntry("plugin.properties") != null;
            String id = manifest == null ? null : manifest.getMainAttributes().getValue("Plugin-Id");
            if (!properties && (id == null || id.isBlank())) {
                return Optional.of("no PF4J plugin descriptor: "
                        + (manifest == null ? "no META-INF/MANIFEST.MF" : "META-INF/MANIFEST.MF has no Plugin-Id")
                        + " and there is no plugin.properties");
            }
            if (!properties && isBlank(manifest.getMainAttributes().getValue("Plugin-Version"))) {
                return Optional.of("the descriptor in META-INF/MANIFEST.MF has no Plugin-Version");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("not a valid jar or zip file (" + e.getMessage() + ")");
        }
    }

    /**
     * A main attribute of the plugin's manifest (a jar's, or a directory plugin's
     * {@code classes/META-INF/MANIFEST.MF}), or null when there is none or it cannot be read.
     */
    static String manifestAttribute(Path plugin, String attribute) {
        try {
            if (Files.isDirectory(plugin)) {
                Path file = plugin.resolve("classes/META-INF/MANIFEST.MF");
                if (!Files.isRegularFile(file)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    return new Manifest(in).getMainAttributes().getValue(attribute);
                }
            }
            try (JarFile jar = new JarFile(plugin.toFile())) {
                Manifest manifest = jar.getManifest();
                return manifest == null ? null : manifest.getMainAttributes().getValue(attribute);
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean hasPluginId(Path manifestFile) {
        if (!Files.isRegularFile(manifestFile)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(manifestFile)) {
            return !isBlank(new Manifest(in).getMainAttributes().getValue("Plugin-Id"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Why a plugin that loaded failed to start. */
    static String startFailure(PluginWrapper plugin) {
        Throwable failure = plugin.getFailedException();
        String pluginClass = plugin.getDescriptor().getPluginClass();
        if (failure instanceof NullPointerException && plugin.getPlugin() == null) {
            return "its Plugin-Class '" + pluginClass + "' cannot be instantiated (missing, abstract, without a public"
                    + " constructor, or not a subclass of org.pf4j.Plugin)";
        }
        return "failed to start: " + pluginClass + ".start() threw "
                + (failure == null ? "an unknown error" : message(failure));
    }

    /**
     * Why the provider class {@code className}, listed in the plugin's
     * {@code META-INF/services/<type>}, is not usable.
     */
    static String provider(ClassLoader pluginLoader, String className, Class<?> type) {
        String listed = "'" + className + "' (listed in META-INF/services/" + type.getName() + ")";
        Class<?> c;
        try {
            c = Class.forName(className, false, pluginLoader);
        } catch (ClassNotFoundException e) {
            return "provider " + listed + " is not in the plugin";
        } catch (LinkageError e) {
            return "provider " + listed + " cannot be loaded: " + message(e);
        }
        if (!type.isAssignableFrom(c)) {
            Class<?> seen;
            try {
                seen = Class.forName(type.getName(), false, pluginLoader);
            } catch (ClassNotFoundException | LinkageError e) {
                seen = type;
            }
            if (seen != type) {
                return "provider " + listed + " implements the plugin's own copy of " + type.getName()
                        + ": the plugin bundles aimle-api; declare it <scope>provided</scope>";
            }
            return "provider " + listed + " does not implement " + type.getName();
        }
        if (Modifier.isAbstract(c.getModifiers())) {
            return "provider " + listed + " is abstract";
        }
        try {
            c.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            return "provider " + listed + " has no public no-argument constructor";
        } catch (InvocationTargetException e) {
            return "the constructor of provider " + listed + " threw " + message(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "provider " + listed + " cannot be instantiated: " + message(e);
        }
        return "provider " + listed + " was not returned by PF4J's extension finder";
    }

    /**
     * The exception and its causes on one line, {@code type: message: type: message}; a cause that
     * repeats what is already said is left out.
     */
    static String message(Throwable t) {
        List<String> parts = new ArrayList<>();
        for (Throwable c = t; c != null && parts.size() < MAX_CAUSES; c = c.getCause() == c ? null : c.getCause()) {
            String part = describe(c);
            if (parts.stream().noneMatch(p -> p.contains(part))) {
                parts.add(part);
            }
        }
        return String.join(": ", parts);
    }

    private static String describe(Throwable t) {
        String m =
                t.getMessage() == null ? "" : t.getMessage().replace('\n', ' ').trim();
        if (t instanceof PluginRuntimeException && !m.isEmpty()) {
            return m; // PF4J's own messages are sentences about the plugin
        }
        return m.isEmpty() ? t.getClass().getName() : t.getClass().getName() + ": " + m;
    }
}
