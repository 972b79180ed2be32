package dev.jsing.runner.launch;

import dev.jsing.common.fs.Trees;
import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.config.JsingConfig;
import dev.jsing.runner.config.JsingDirs;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.image.ContainerImage;
import dev.jsing.runner.image.ImageMetadata;
import dev.jsing.runner.image.ImageProbe;
import dev.jsing.runner.image.ImageResolver;
import dev.jsing.runner.image.TempDirs;
import dev.jsing.runner.image.Unsquashfs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code jsing exec/run/shell/test}: resolves the image, chooses how to mount it (squashfuse, or a temporary sandbox
 * extracted with unsquashfs), plans the launch and replaces the JVM with the starter. When the site activates the
 * execution control list, the image must pass it first ({@code trust.ExecutionCheck}). Everything it creates before
 * the exec is removed if it fails.
 */
public final class Launcher {
    private Launcher() {}

    /** Launches; returns an exit code only when nothing needs to run (e.g. an image without a test script). */
    public static int launch(LaunchRequest req, PrintWriter err) {
        HostContext host = HostContext.current();
        JsingConfig config = ConfigLoader.load(host.env(), host.home());
        ContainerImage image = ImageResolver.resolve(req.image());
        if (config.executionControlActive()) {
            // Before anything reads the image's filesystem or mounts it. The check (and the signature library it loads)
            // is reached only when the site activates the execution control list.
            dev.jsing.runner.trust.ExecutionCheck.require(
                    image.path(),
                    image.kind() == dev.jsing.runner.image.ImageKind.SIF,
                    config.executionControl(),
                    ConfigLoader.siteDir());
        }
        SitePolicy.checkImage(image, config);
        req = SitePolicy.namespaces(req, config, err);
        if (req.debug()) {
            for (String n : config.notices()) {
                err.println("jsing: debug: " + n);
            }
        }
        Path tmpDir = JsingDirs.tmpDir(host.env(), config);
        Path cacheDir = JsingDirs.cacheDir(host.env(), config, host.home());
        ImageMetadata meta = ImageProbe.probe(image, config.unsquashfs(), cacheDir, tmpDir);
        if (req.action().equals("test") && !meta.hasTest()) {
            if (!req.quiet()) {
                err.println("jsing: no test script in " + image.path());
            }
            return ExitCodes.OK;
        }
        Path temp = null;
        try {
            LaunchPlan.Rootfs rootfs;
            String removeAfterExit = null;
            if (image.isSquashfs()) {
                String why = req.unsquash() ? "--unsquash given" : Fuse.unusableReason(config, host.env());
                if (why == null) {
                    rootfs = LaunchPlan.Rootfs.squashfs(
                            image.path().toString(), image.offset(), Fuse.program(config, host.env()));
                } else {
                    temp = TempDirs.create(tmpDir, "jsing-sandbox-");
                    if (!req.quiet()) {
                        err.println("jsing: notice: " + why + "; extracting " + image.path()
                                + " to a temporary sandbox in " + tmpDir);
                        err.flush();
                    }
                    Path root = temp.resolve("root");
                    Unsquashfs.run(
                            List.of(
                                    config.unsquashfs(),
                                    "-o",
                                    String.valueOf(image.offset()),
                                    "-d",
                                    root.toString(),
                                    "-no-xattrs",
                                    "-n",
                                    "-q",
                                    "-ig",
                                    image.path().toString()),
                            image.path());
                    if (!Files.isDirectory(root)) {
                        throw new JsingException(ExitCodes.BAD_IMAGE, image.path() + ": unsquashfs extracted nothing");
                    }
                    rootfs = LaunchPlan.Rootfs.sandbox(root.toString());
                    removeAfterExit = temp.toString();
                }
            } else {
                rootfs = LaunchPlan.Rootfs.sandbox(image.path().toString());
            }
            LaunchPlan plan = LaunchPlanner.plan(req, host, config, image, meta, rootfs, removeAfterExit);
            StarterInvocation inv =
                    StarterInvocation.of(plan, StarterInvocation.installedStarter(), tmpDir, req.debug());
            inv = HpcJoin.apply(inv, req, plan, host.env()); // one container per node per MPI job step
            if (req.debug()) {
                err.println("jsing: debug: " + String.join(" ", inv.argv()));
                err.flush();
            }
            try {
                if (Boolean.getBoolean("jsing.cds.training")) {
                    // Install-time class-data training run: everything but the exec (see scripts/install.sh).
                    try {
                        NativeExec.execve("/nonexistent/jsing-cds-training", inv.argv(), inv.env());
                    } catch (JsingException expected) {
                        return ExitCodes.OK;
                    }
                }
                NativeExec.execve(inv.starter(), inv.argv(), inv.env());
            } finally {
                if (inv.sessionDir() != null) {
                    Trees.deleteQuietly(inv.sessionDir());
                }
            }
            throw new IllegalStateException("execve returned");
        } catch (IOException e) {
            throw new JsingException(
                    ExitCodes.CANT_CREATE, "cannot create a temporary directory in " + tmpDir + ": " + e.getMessage());
        } finally {
            if (temp != null) {
                Trees.deleteQuietly(temp);
            }
        }
    }

    /** Whether FUSE can serve squashfs images here. */
    static final class Fuse {
        private Fuse() {}

        static String unusableReason(JsingConfig config, Map<String, String> env) {
            if (program(config, env) == null) {
                return "squashfuse not found (tried " + String.join(", ", config.squashfuse()) + ")";
            }
            Path fuse = Path.of("/dev/fuse");
            if (!Files.isReadable(fuse) || !Files.isWritable(fuse)) {
                return "/dev/fuse is not usable";
            }
            return null;
        }

        static String program(JsingConfig config, Map<String, String> env) {
            List<String> path = new ArrayList<>();
            String p = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
            path.addAll(List.of(p.split(":")));
            path.add("/usr/sbin");
            path.add("/sbin");
            for (String c : config.squashfuse()) {
                if (c.isEmpty()) {
                    continue;
                }
                if (c.contains("/")) {
                    if (Files.isExecutable(Path.of(c))) {
                        return c;
                    }
                    continue;
                }
                for (String dir : path) {
                    if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, c))) {
                        return Path.of(dir, c).toString();
                    }
                }
            }
            return null;
        }
    }
}
