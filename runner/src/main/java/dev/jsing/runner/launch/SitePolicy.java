package dev.jsing.runner.launch;

import dev.jsing.runner.config.JsingConfig;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.image.ContainerImage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a site's configuration allows a launch, applied before anything is mounted: image kinds it does not allow are
 * refused; namespaces it does not allow are dropped from the request with one warning each, as Apptainer does.
 */
final class SitePolicy {
    private SitePolicy() {}

    /** Refuses {@code image} when its kind is denied ({@code allow container sif|squashfs|dir = no}). */
    static void checkImage(ContainerImage image, JsingConfig config) {
        String kind = switch (image.kind()) {
            case SIF -> "sif";
            case SQUASHFS -> "squashfs";
            case SANDBOX -> "dir";
        };
        if (config.deniedImages().contains(kind)) {
            throw new JsingException(
                    ExitCodes.BAD_CONFIG,
                    image.path() + ": the site configuration does not allow " + kind.toUpperCase(Locale.ROOT)
                            + " images (allow container " + kind + " = no, "
                            + config.origins().get("denied-images") + ")");
        }
    }

    /** {@code req} without the denied namespaces it asks for, warning about each (unless quiet). */
    static LaunchRequest namespaces(LaunchRequest req, JsingConfig config, PrintWriter err) {
        List<String> dropped = new ArrayList<>();
        List<String> denied = config.deniedNamespaces();
        if (req.pid() && denied.contains("pid")) {
            dropped.add("--pid");
        }
        if (req.ipc() && denied.contains("ipc")) {
            dropped.add("--ipc");
        }
        if ((req.uts() || req.hostname() != null) && denied.contains("uts")) {
            dropped.add(req.hostname() != null ? "--hostname" : "--uts");
        }
        if (dropped.isEmpty()) {
            return req;
        }
        if (!req.quiet()) {
            err.println("jsing: warning: the site configuration does not allow " + String.join(", ", dropped) + " ("
                    + config.origins().get("denied-namespaces") + "); running without");
            err.flush();
        }
        return req.withoutNamespaces(denied);
    }
}
