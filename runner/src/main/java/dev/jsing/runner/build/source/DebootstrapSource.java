package dev.jsing.runner.build.source;

import dev.jsing.oci.ImageConfig;
import dev.jsing.runner.build.context.BuildContext;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code Bootstrap: debootstrap} (OSVersion, MirrorURL, Include): runs {@code debootstrap --variant=minbase} into the
 * root, as root or as uid 0 of a user namespace (then with {@code container=lxc} so debootstrap binds /dev entries
 * instead of calling mknod). Downloaded packages are kept in {@code JSING_CACHEDIR/debootstrap} for later builds.
 */
public final class DebootstrapSource implements RootfsSource {
    private final String suite;
    private final String mirror;
    private final List<String> include;

    public DebootstrapSource(Map<String, String> header) {
        suite = header.getOrDefault("osversion", "").trim();
        if (suite.isEmpty()) {
            throw new JsingException(
                    ExitCodes.BAD_DEFINITION, "Bootstrap: debootstrap needs OSVersion (e.g. bookworm)");
        }
        String m = header.getOrDefault("mirrorurl", "").trim();
        mirror = m.isEmpty() ? "http://deb.debian.org/debian" : m;
        include = new ArrayList<>();
        for (String p : header.getOrDefault("include", "").split("[\\s,]+")) {
            if (!p.isBlank()) {
                include.add(p.trim());
            }
        }
    }

    @Override
    public String describe() {
        return "debootstrap " + suite + " from " + mirror + (include.isEmpty() ? "" : " including " + include);
    }

    @Override
    public ImageConfig prepare(Path rootfs, BuildContext ctx) throws IOException {
        if (!Files.isExecutable(Path.of("/usr/sbin/debootstrap"))) {
            throw new JsingException(
                    ExitCodes.UNAVAILABLE, "Bootstrap: debootstrap needs debootstrap (apt-get install debootstrap)");
        }
        Path cache = BuildContext.cacheDir().resolve("debootstrap");
        Files.createDirectories(cache);
        List<String> argv =
                new ArrayList<>(List.of("debootstrap", "--variant=minbase", "--cache-dir=" + cache.toAbsolutePath()));
        if (!include.isEmpty()) {
            argv.add("--include=" + String.join(",", include));
        }
        argv.add(suite);
        argv.add(rootfs.toString());
        argv.add(mirror);
        Map<String, String> env = ctx.hostEnv();
        if (!ctx.privilege().root()) {
            env.put("container", "lxc");
        }
        ctx.runAsRoot("debootstrap " + suite, argv, env, true);
        return null;
    }
}
