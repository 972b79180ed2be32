package dev.jsing.runner.build.context;

import dev.jsing.common.proc.Processes;
import dev.jsing.runner.config.JsingDirs;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared state of one build: options, privilege, progress, the private temporary directory, built stages. */
public final class BuildContext {
    private final BuildOptions options;
    private final Privilege privilege;
    private final Progress progress;
    private final Path tmp;
    private final Map<String, Path> stageRoots = new LinkedHashMap<>();

    public BuildContext(BuildOptions options, Privilege privilege, Progress progress, Path tmp) {
        this.options = options;
        this.privilege = privilege;
        this.progress = progress;
        this.tmp = tmp;
    }

    public BuildOptions options() {
        return options;
    }

    public Privilege privilege() {
        return privilege;
    }

    public Progress progress() {
        return progress;
    }

    /** The build's private temporary directory (removed at the end, whatever happens). */
    public Path tmp() {
        return tmp;
    }

    /** Records a finished stage's root filesystem for {@code %files from}. */
    public void addStage(String name, Path rootfs) {
        stageRoots.put(name, rootfs);
    }

    /** A finished stage's root filesystem. */
    public Path stageRoot(String name) {
        Path p = stageRoots.get(name);
        if (p == null) {
            throw new JsingException(
                    ExitCodes.BAD_DEFINITION, "%files from '" + name + "': no earlier stage of that name");
        }
        return p;
    }

    /** The environment for host helpers: a sane PATH and locale, nothing else of the caller's. */
    public Map<String, String> hostEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C");
        env.put("LC_ALL", "C");
        String home = System.getenv("HOME");
        if (home != null) {
            env.put("HOME", home);
        }
        if (System.getenv("TMPDIR") != null) {
            env.put("TMPDIR", System.getenv("TMPDIR"));
        }
        return env;
    }

    /** Runs a helper as (namespaced) root; a failure is a {@link BuildFailure} naming {@code what}. */
    public Processes.Outcome runAsRoot(String what, List<String> argv, Map<String, String> env, boolean newNs) {
        Processes.Outcome o = Processes.run(
                privilege.asRoot(argv, newNs),
                env != null ? env : hostEnv(),
                (File) null,
                !progress.quiet() && options.debug(),
                progress.err());
        if (o.exitCode() != 0) {
            throw new BuildFailure(what + " failed (exit " + o.exitCode() + "): " + o.lastLine());
        }
        return o;
    }

    /** The user's cache directory (see {@link JsingDirs}). */
    public static Path cacheDir() {
        return JsingDirs.cacheDir();
    }
}
