package dev.jsing.runner.cli;

import dev.jsing.runner.cli.action.Action;
import dev.jsing.runner.cli.action.ActionHelp;
import dev.jsing.runner.cli.action.ActionParser;
import dev.jsing.runner.cli.action.ParsedAction;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.UsageException;
import dev.jsing.runner.instance.Instances;
import dev.jsing.runner.instance.Signals;
import dev.jsing.runner.launch.LaunchRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jsing instance start|run|list|stop|stats}: parses and delegates to {@link Instances}. */
@Command(
        name = "instance",
        description = "Manage containers that run in the background (instances).",
        subcommands = {
            InstanceCommand.Start.class,
            InstanceCommand.Run.class,
            InstanceCommand.ListCmd.class,
            InstanceCommand.Stop.class,
            InstanceCommand.Stats.class
        })
public final class InstanceCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @ParentCommand
    JsingCommand parent;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (start, run, list, stop, stats)");
    }

    boolean quiet() {
        return parent != null && parent.quiet();
    }

    /**
     * {@code start} and {@code run} stop parsing at the first positional (the image, or an option's value before it:
     * the action table parses those): what follows the name is the startscript's, {@code -h} included.
     */
    static void argumentsAfterTheImage(CommandLine instance) {
        instance.getSubcommands().get("start").setStopAtPositional(true);
        instance.getSubcommands().get("run").setStopAtPositional(true);
    }

    boolean debug() {
        return parent != null && parent.debug;
    }

    /** {@code start} and {@code run}: the container actions' options (one table), then IMAGE NAME [ARG...]. */
    abstract static class Launching implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @ParentCommand
        InstanceCommand parent;

        @Option(
                names = {"-h", "--help"},
                description = "Show this help message and exit.")
        boolean help;

        @CommandLine.Unmatched
        List<String> args = new ArrayList<>();

        abstract String name();

        abstract String description();

        abstract boolean startscript();

        @Override
        public Integer call() {
            String cmd = "jsing instance " + name();
            String synopsis = "IMAGE NAME [ARG...]";
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Map<String, String> env = System.getenv();
            if (help) {
                out.print(ActionHelp.render(Action.RUN, cmd, synopsis, description()));
                out.flush();
                return ExitCodes.OK;
            }
            ParsedAction p = ActionParser.parse(
                    Action.RUN, cmd, args.toArray(new String[0]), env, parent.debug(), parent.quiet());
            if (p.help()) {
                out.print(ActionHelp.render(Action.RUN, cmd, synopsis, description()));
                out.flush();
                return ExitCodes.OK;
            }
            LaunchRequest req = p.request();
            if (req.args().isEmpty()) {
                throw new UsageException(cmd, "Missing required parameter: 'NAME'");
            }
            String name = req.args().get(0);
            req = req.withArgs(req.args().subList(1, req.args().size()));
            return Instances.of(env).start(req, name, startscript(), env, err);
        }
    }

    /** {@code jsing instance start [OPTIONS] IMAGE NAME [ARG...]}. */
    @Command(name = "start", description = "Start a named instance of IMAGE, running its startscript.")
    public static final class Start extends Launching {
        @Override
        String name() {
            return "start";
        }

        @Override
        String description() {
            return "Start a named instance of IMAGE in the background, running its startscript (if any) with ARGs.";
        }

        @Override
        boolean startscript() {
            return true;
        }
    }

    /** {@code jsing instance run [OPTIONS] IMAGE NAME [ARG...]}. */
    @Command(name = "run", description = "Start a named instance of IMAGE, running its runscript.")
    public static final class Run extends Launching {
        @Override
        String name() {
            return "run";
        }

        @Override
        String description() {
            return "Start a named instance of IMAGE in the background, running its runscript with ARGs.";
        }

        @Override
        boolean startscript() {
            return false;
        }
    }

    /** {@code jsing instance list [--json|--logs] [NAME]}. */
    @Command(name = "list", description = "List your running instances on this host (NAME may be a glob).")
    public static final class ListCmd implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = {"-j", "--json"},
                description = "Print JSON.")
        boolean json;

        @Option(
                names = {"-l", "--logs"},
                description = "Show the paths of the instances' stdout and stderr logs.")
        boolean logs;

        @Option(
                names = {"-u", "--user"},
                paramLabel = "USER",
                description = "Only your own user is accepted: another user's instances are out of reach.")
        String user;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A name or glob (default: all).")
        String name = "*";

        @Override
        public Integer call() {
            Instances in = Instances.of(System.getenv());
            in.requireOwnUser(user);
            PrintWriter out = spec.commandLine().getOut();
            out.print(in.list(name, json, logs));
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code jsing instance stop [--all] [--signal SIG] [--timeout S] [--force] [NAME]}. */
    @Command(name = "stop", description = "Stop a named instance (NAME may be a glob), or all of yours.")
    public static final class Stop implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @ParentCommand
        InstanceCommand parent;

        @Option(
                names = {"-a", "--all"},
                description = "Stop all your instances on this host.")
        boolean all;

        @Option(
                names = {"-s", "--signal"},
                paramLabel = "SIG",
                description = "The signal to send (name or number; default TERM).")
        String signal;

        @Option(
                names = {"-t", "--timeout"},
                paramLabel = "S",
                description = "Kill instances still running after S seconds (default 10).")
        int timeout = 10;

        @Option(
                names = {"-F", "--force"},
                description = "Kill at once (SIGKILL).")
        boolean force;

        @Option(
                names = {"-u", "--user"},
                paramLabel = "USER",
                description = "Only your own user is accepted: another user's instances are out of reach.")
        String user;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A name or glob.")
        String name;

        @Override
        public Integer call() {
            if (timeout < 0) {
                throw new UsageException("jsing instance stop", "--timeout: must not be negative");
            }
            if (name == null && !all) {
                throw new UsageException("jsing instance stop", "name an instance, or give --all");
            }
            Instances in = Instances.of(System.getenv());
            in.requireOwnUser(user);
            int sig = force ? Signals.SIGKILL : signal != null ? Signals.parse(signal) : Signals.SIGTERM;
            return in.stop(
                    name,
                    all,
                    sig,
                    Duration.ofSeconds(timeout),
                    parent.quiet(),
                    spec.commandLine().getErr());
        }
    }

    /** {@code jsing instance stats [--json] NAME}. */
    @Command(name = "stats", description = "Memory, CPU and processes of a named instance.")
    public static final class Stats implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = {"-j", "--json"},
                description = "Print JSON.")
        boolean json;

        @Option(
                names = {"-u", "--user"},
                paramLabel = "USER",
                description = "Only your own user is accepted: another user's instances are out of reach.")
        String user;

        @Parameters(index = "0", paramLabel = "NAME", description = "The instance.")
        String name;

        @Override
        public Integer call() {
            Instances in = Instances.of(System.getenv());
            in.requireOwnUser(user);
            PrintWriter out = spec.commandLine().getOut();
            out.print(in.stats(name, json));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
