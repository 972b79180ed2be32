package dev.jsing.runner.launch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell that runs the environment wrapper ({@link ContainerEnvironment#wrapperScript}): a statically linked bash
 * from the host (jsing's bundled {@code PREFIX/libexec/jsing/bash}, else Debian's {@code bash-static}), bound
 * read-only at {@link #CONTAINER_PATH}, so that the image's env scripts get bash whatever the image's {@code /bin/sh}
 * is, and an image without a shell still gets them. Without one, the image's {@code /bin/sh} runs the wrapper.
 */
final class EnvInterpreter {
    /** Where the interpreter is bound inside: a private path (its mount point is made in the skeleton layer). */
    static final String CONTAINER_PATH = "/.singularity.d/jsing/bash";

    /** The Debian package's paths (merged /usr: one file under both names). */
    static final List<String> SYSTEM_PATHS = List.of("/usr/bin/bash-static", "/bin/bash-static");

    private EnvInterpreter() {}

    /** The host paths tried in order: the installation's bundled copy (when jsing runs installed), then the system's. */
    static List<String> candidates() {
        List<String> c = new ArrayList<>();
        String prefix = System.getProperty("jsing.prefix");
        if (prefix != null && !prefix.isEmpty()) {
            c.add(java.nio.file.Path.of(prefix, "libexec", "jsing", "bash").toString());
        }
        c.addAll(SYSTEM_PATHS);
        return c;
    }

    /**
     * The interpreter's real host path, or null when there is none; each path tried is stamped in {@code replay}
     * (when not null), so that a replaced, installed or removed binary makes the launch take the full path again.
     */
    static String find(HostFiles files, Replay replay) {
        for (String p : candidates()) {
            if (replay != null) {
                replay.stat(p);
            }
            if (files.isRegularFile(p)) {
                try {
                    return files.realPath(p);
                } catch (IOException e) {
                    // vanished meanwhile: try the next
                }
            }
        }
        return null;
    }

    /** The {@code --debug} notice when there is no interpreter, or null. */
    static String missingNotice(HostFiles files) {
        if (find(files, null) != null) {
            return null;
        }
        return "no static bash (" + String.join(", ", candidates()) + "): the image's env scripts are run by its"
                + " /bin/sh (install Debian's bash-static)";
    }
}
