package dev.jsing.runner.cli.action;

import dev.jsing.oci.registry.ImageRef;
import dev.jsing.runner.build.RegistryImages;
import dev.jsing.runner.error.ErrorReport;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.instance.Instances;
import dev.jsing.runner.launch.LaunchRequest;
import dev.jsing.runner.launch.Launcher;
import dev.jsing.runner.launch.Replay;
import dev.jsing.runner.registry.RegistrySettings;
import java.io.PrintWriter;
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
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (isGlobalFlag(a)) {
                continue;
            }
            return Action.named(a) != null ? i : -1;
        }
        return -1;
    }

    /** The global flags that may stand before an action: {@code -d}, {@code -q}/{@code -s}, {@code --nocolor}. */
    private static boolean isGlobalFlag(String a) {
        return a.equals("-d") || a.equals("--debug") || isQuiet(a) || a.equals("--nocolor");
    }

    private static boolean isQuiet(String a) {
        return a.equals("-q") || a.equals("--quiet") || a.equals("-s") || a.equals("--silent");
    }

    /** Runs the action at {@code args[index]} with the following arguments; returns the exit code. */
    public static int run(String[] args, int index, Map<String, String> env, PrintWriter out, PrintWriter err) {
        // Every lookup of the environment and every message is recorded, for the replay entry this launch leaves.
        Replay rec = Replay.start(System.getProperty("jsing.name", "jsing"), args, env);
        env = rec.env();
        err = rec.watch(err);
        boolean debug = false;
        boolean quiet = false;
        for (int i = 0; i < index; i++) {
            debug |= args[i].equals("-d") || args[i].equals("--debug");
            quiet |= isQuiet(args[i]);
        }
        Action action = Action.named(args[index]);
        try {
            ParsedAction p =
                    ActionParser.parse(action, Arrays.copyOfRange(args, index + 1, args.length), env, debug, quiet);
            if (p.help()) {
                out.print(ActionHelp.render(action));
                out.flush();
                return ExitCodes.OK;
            }
            if (p.request().image().startsWith(Instances.URI)) {
                // into a running instance: its pid is live state, never part of a replayed plan
                return Instances.of(env).enter(p.request(), env, err, rec);
            }
            if (ImageRef.isRegistryUri(p.request().image())) {
                rec.refuse("a registry image");
            }
            return Launcher.launch(local(p.request(), env, err), env, err, rec);
        } catch (RuntimeException e) {
            return ErrorReport.report(e, debug, err);
        }
    }

    /** A registry image is pulled (and converted once, cached) before the launch; a local image is used as it is. */
    static LaunchRequest local(LaunchRequest req, Map<String, String> env, PrintWriter err) {
        if (!ImageRef.isRegistryUri(req.image())) {
            return req;
        }
        RegistrySettings defaults = RegistrySettings.fromEnv(env, req.quiet());
        RegistrySettings s =
                new RegistrySettings(req.noHttps() || defaults.noHttps(), defaults.authFile(), null, req.quiet());
        return req.withImage(
                RegistryImages.pullService(s, err).cachedSif(req.image()).toString());
    }
}
