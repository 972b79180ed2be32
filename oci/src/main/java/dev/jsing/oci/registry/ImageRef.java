package dev.jsing.oci.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed registry reference, {@code docker://HOST[:PORT]/REPO[:TAG|@sha256:HEX]} or the same with {@code oras://}.
 * As in Docker, a first component without a dot, a colon or {@code localhost} is not a host: {@code ubuntu:22.04}
 * means {@code docker.io/library/ubuntu:22.04}. Immutable; {@link #withDigest} returns a new one.
 *
 * @param scheme {@code docker} or {@code oras}
 * @param registry the host and optional port, e.g. {@code 127.0.0.1:5000}; {@code docker.io} for Docker Hub
 * @param repository e.g. {@code library/ubuntu}
 * @param tag the tag, or null when only a digest was given
 * @param digest {@code sha256:HEX}, or null
 */
public record ImageRef(String scheme, String registry, String repository, String tag, String digest) {
    private static final Pattern REPO =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?");

    /** Docker Hub's name in references. */
    public static final String DOCKER_HUB = "docker.io";

    /** Whether {@code s} looks like a registry URI this package handles. */
    public static boolean isRegistryUri(String s) {
        return s != null && (s.startsWith("docker://") || s.startsWith("oras://"));
    }

    /** Parses {@code docker://…} or {@code oras://…}; throws {@link IllegalArgumentException} naming the problem. */
    public static ImageRef parse(String uri) {
        int sep = uri.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("'" + uri + "' is not a docker:// or oras:// reference");
        }
        String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("docker") && !scheme.equals("oras")) {
            throw new IllegalArgumentException("'" + uri + "': unsupported scheme " + scheme + "://");
        }
        return parse(scheme, uri.substring(sep + 3), uri);
    }

    /** Parses a name without scheme ({@code [HOST/]REPO[:TAG][@DIGEST]}) for {@code scheme}. */
    public static ImageRef parse(String scheme, String name, String what) {
        String rest = name;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException(
                        "'" + what + "': bad digest '" + digest + "' (expected sha256:<64 hex>)");
            }
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                if (!HOST.matcher(first).matches()) {
                    throw new IllegalArgumentException("'" + what + "': bad registry host '" + first + "'");
                }
                registry = first.toLowerCase(Locale.ROOT);
                rest = rest.substring(slash + 1);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("'" + what + "': bad tag '" + tag + "'");
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (rest.isEmpty() || !REPO.matcher(rest).matches()) {
            throw new IllegalArgumentException("'" + what + "': bad repository name '" + rest
                    + "' (lower-case letters, digits, separators . _ - /)");
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageRef(scheme, registry, rest, tag, digest);
    }

    /** The tag or digest to ask the registry for (the digest when both are given). */
    public String reference() {
        return digest != null ? digest : tag;
    }

    /** The same image pinned to {@code manifestDigest}. */
    public ImageRef withDigest(String manifestDigest) {
        return new ImageRef(scheme, registry, repository, tag, manifestDigest);
    }

    /** The host to connect to: Docker Hub's API host for {@code docker.io}. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** {@code HOST/REPO[:TAG][@DIGEST]}, without the scheme. */
    public String name() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    @Override
    public String toString() {
        return scheme + "://" + name();
    }
}
