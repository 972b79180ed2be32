package dev.jsing.runner.cli.action;

import dev.jsing.common.fs.Trees;
import dev.jsing.oci.registry.ImageRef;
import dev.jsing.runner.build.RegistryImages;
import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.config.JsingDirs;
import dev.jsing.runner.error.ErrorReport;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.image.TempDirs;
import dev.jsing.runner.instance.Instances;
import dev.jsing.runner.launch.LaunchRequest;
import dev.jsing.runner.launch.Launcher;
import dev.jsing.runner.launch.Replay;
import dev.jsing.runner.registry.RegistrySettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The entry for the container actions ({@code exec run shell test}): parses with the {@link ActionOption} table (no
 * picocli: its model costs hundreds of milliseconds per launch, paid once per MPI rank), pulls a registry image as an
 * explicit step, launches, and maps failures through {@link ErrorReport}.
 */
public final class ActionMain {
    private ActionMain() {}

    /** The index of the action name in {@code args} when it is one of ours (after global flags), else -1. */
    public static int actionIndex(String[] args) {
        int i = GlobalFlags.commandIndex(args);
        return i >= 0 && Action.named(args[i]) != null ? i : -1;
    }

    /** Runs the action at {@code args[index]} with the following arguments; returns the exit code. */
    public static int run(String[] args, int index, Map<String, String> env, PrintWriter out, PrintWriter err) {
        // Every lookup of the environment and every message is recorded, for the replay entry this launch leaves.
        Replay rec = Replay.start(System.getProperty("jsing.name", "jsing"), args, env);
        env = rec.env();
        err = rec.watch(err);
        boolean debug = GlobalFlags.has(args, index, "-d", "--debug");
        boolean quiet = GlobalFlags.has(args, index, "-q", "--quiet", "-s", "--silent");
        boolean verbose = GlobalFlags.has(args, index, "-v", "--verbose");
        Action action = Action.named(args[index]);
        try {
            ParsedAction p = ActionParser.parse(
                    action, Arrays.copyOfRange(args, index + 1, args.length), env, debug, quiet, verbose);
            if (p.help()) {
                out.print(ActionHelp.render(action));
                out.flush();
                return ExitCodes.OK;
            }
            LaunchRequest req = p.request();
            if (req.image().startsWith(Instances.URI)) {
                // into a running instance: its pid is live state, never part of a replayed plan
                return Instances.of(env).enter(req, env, err, rec);
            }
            if (!ImageRef.isRegistryUri(req.image())) {
                return Launcher.launch(req, env, err, rec);
            }
            rec.refuse("a registry image");
            if (!req.disableCache()) {
                return Launcher.launch(local(req, env, err, null), env, err, rec);
            }
            // --disable-cache: downloaded and converted in a directory of its own, removed once the container is gone.
            Path owned = TempDirs.create(JsingDirs.tmpDir(env, ConfigLoader.load(env, home(env))), "jsing-nocache-");
            LaunchRequest pulled;
            try {
                pulled = local(req, env, err, owned);
            } catch (RuntimeException e) {
                Trees.deleteQuietly(owned);
                throw e;
            }
            return Launcher.launch(pulled, env, err, rec, owned);
        } catch (java.io.IOException e) {
            return ErrorReport.report(
                    new dev.jsing.runner.error.JsingException(
                            ExitCodes.CANT_CREATE, "cannot create a temporary directory: " + e.getMessage()),
                    debug,
                    err);
        } catch (RuntimeException e) {
            return ErrorReport.report(e, debug, err);
        }
    }

    /**
     * A registry image is pulled (and converted once, cached) before the launch, into {@code cacheRoot} instead of the
     * cache when it is not null; a local image is used as it is.
     */
    static LaunchRequest local(LaunchRequest req, Map<String, String> env, PrintWriter err, Path cacheRoot) {
        if (!ImageRef.isRegistryUri(req.image())) {
            return req;
        }
        RegistrySettings defaults = RegistrySettings.fromEnv(env, req.quiet());
        RegistrySettings s =
                new RegistrySettings(req.noHttps() || defaults.noHttps(), defaults.authFile(), null, req.quiet());
        return req.withImage(
                (cacheRoot == null ? RegistryImages.pullService(s, err) : RegistryImages.pullService(s, err, cacheRoot))
                        .cachedSif(req.image())
                        .toString());
    }

    private static String home(Map<String, String> env) {
        String h = env.get("HOME");
        return h != null && !h.isEmpty() ? h : System.getProperty("user.home");
    }
}
