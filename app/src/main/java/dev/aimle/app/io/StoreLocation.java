package dev.aimle.app.io;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A location as a user gives it for {@code --out} or {@code --data}: a path of this machine, a
 * {@code file:} URI (a shared mount), or the URI of a remote file system such as {@code
 * hdfs://nn/runs} or {@code s3a://bucket/runs}.
 */
public final class StoreLocation {
    private StoreLocation() {}

    /**
     * The remote URI {@code location} names, or empty for a path of this machine: no scheme, a
     * {@code file:} URI, or a one-letter scheme (a Windows drive).
     */
    public static Optional<URI> remote(String location) {
        URI uri = uri(location);
        if (uri == null || uri.getScheme().length() == 1 || uri.getScheme().equalsIgnoreCase("file")) {
            return Optional.empty();
        }
        if (uri.getPath() == null || uri.getPath().isEmpty() || !uri.getPath().startsWith("/")) {
            throw new IllegalArgumentException("'" + location
                    + "' must be a path or an absolute URI with a path, e.g. hdfs://namenode/runs/nri or"
                    + " s3a://bucket/runs/nri");
        }
        return Optional.of(uri);
    }

    /**
     * The path of this machine {@code location} names (a {@code file:} URI as its path).
     *
     * @throws IllegalArgumentException for a remote URI
     */
    public static Path local(String location) {
        if (remote(location).isPresent()) {
            throw new IllegalArgumentException("'" + location + "' is not on this machine");
        }
        URI uri = uri(location);
        if (uri != null && uri.getScheme().equalsIgnoreCase("file")) {
            try {
                return Path.of(uri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "'" + location + "' is not a file: URI of an absolute path, e.g. file:/shared/runs/nri ("
                                + e.getMessage() + ")");
            }
        }
        return Path.of(location);
    }

    /** The URI {@code location} is if it has a scheme, else null (a path). */
    private static URI uri(String location) {
        int colon = location.indexOf(':');
        if (colon < 1 || location.indexOf('/') >= 0 && location.indexOf('/') < colon) {
            return null;
        }
        try {
            URI uri = new URI(location);
            // an opaque "name:rest" (no slash after the colon) is a file name, as it always was
            return uri.getScheme() == null || uri.isOpaque() ? null : uri;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
