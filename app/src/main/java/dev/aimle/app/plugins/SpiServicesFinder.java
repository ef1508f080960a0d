package dev.aimle.app.plugins;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;
import org.pf4j.ServiceProviderExtensionFinder;

/**
 * PF4J's {@link ServiceProviderExtensionFinder}, narrowed to the SPI: plugins register their
 * providers in {@code META-INF/services/<SPI interface>} (the {@link java.util.ServiceLoader}
 * format), not with {@code @Extension}.
 *
 * <p>Two differences from the stock finder, both deliberate. It reads only the service files of the
 * SPI interfaces, each by its exact name, from the plugin's own jar: the stock finder walks the
 * {@code META-INF/services} directory, which is invisible in jars written without directory
 * entries, and it would also try to load every class listed by the third-party libraries a plugin
 * bundles. And it reads nothing from the application class path: the app discovers class-path
 * providers with {@link java.util.ServiceLoader} itself.
 */
final class SpiServicesFinder extends ServiceProviderExtensionFinder {
    private final List<Class<?>> spiTypes;

    SpiServicesFinder(PluginManager pluginManager, List<Class<?>> spiTypes) {
        super(pluginManager);
        this.spiTypes = List.copyOf(spiTypes);
    }

    @Override
    public Map<String, Set<String>> readClasspathStorages() {
        return Collections.emptyMap();
    }

    @Override
    public Map<String, Set<String>> readPluginsStorages() {
        Map<String, Set<String>> result = new LinkedHashMap<>();
        for (PluginWrapper plugin : pluginManager.getPlugins()) {
            Set<String> classNames = new TreeSet<>();
            for (Class<?> type : spiTypes) {
                classNames.addAll(listedProviders(plugin.getPluginClassLoader(), type));
            }
            result.put(plugin.getPluginId(), classNames);
        }
        return result;
    }

    /**
     * The provider class names a plugin lists in its own {@code META-INF/services/<type>} files
     * (the parent class loader's files are not included), sorted.
     */
    static Set<String> listedProviders(ClassLoader pluginClassLoader, Class<?> type) {
        Set<String> names = new TreeSet<>();
        String resource = "META-INF/services/" + type.getName();
        try {
            Enumeration<URL> urls = pluginClassLoader instanceof URLClassLoader own
                    ? own.findResources(resource)
                    : Collections.emptyEnumeration();
            while (urls.hasMoreElements()) {
                names.addAll(parse(urls.nextElement()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " of a plugin", e);
        }
        return names;
    }

    /** The class names of one services file: one per line, {@code #} starts a comment. */
    private static Set<String> parse(URL url) throws IOException {
        Set<String> names = new TreeSet<>();
        URLConnection connection = url.openConnection();
        // Without this the JDK caches the open jar file beyond the plugin class loader's life.
        connection.setUseCaches(false);
        try (InputStream in = connection.getInputStream();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                int comment = line.indexOf('#');
                String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
