package dev.jsing.runner.cli;

import dev.jsing.runner.cli.action.Action;
import dev.jsing.runner.cli.action.ActionMain;
import dev.jsing.runner.error.ErrorReport;
import dev.jsing.runner.error.ExitCodes;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The top-level {@code jsing} command. Subcommands only parse arguments and delegate to the libraries; every failure
 * becomes one line on stderr and an exit code from {@link ExitCodes} (a stack trace only with {@code --debug}).
 */
@Command(
        name = "jsing",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A setuid-free container runner for HPC clusters.")
public final class JsingCommand implements Runnable {
    @Option(
            names = {"-d", "--debug"},
            description = "Show stack traces and debug output (before the command, as in Apptainer).")
    boolean debug;

    @Option(
            names = {"-q", "--quiet"},
            description = "Only print errors.",
            scope = CommandLine.ScopeType.INHERIT)
    boolean quiet;

    @Option(
            names = {"-s", "--silent"},
            description = "Only print errors (as -q; Apptainer's spelling, before the command).")
    boolean silent;

    @Option(
            names = "--nocolor",
            description = "Print no colour (jsing never does; accepted as Apptainer has it).",
            scope = CommandLine.ScopeType.INHERIT)
    boolean nocolor;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print the steps of a container launch (exec, run, shell, test): image, mount, environment"
                    + " forwarded, command.")
    boolean verbose;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "A configuration file (jsing's YAML) in place of $JSING_CONFIG: a user layer over the site's"
                    + " /etc/jsing/jsing.yaml, which it can narrow but not widen.")
    String config;

    /** Whether {@code -d}/{@code --debug} stands among the global flags (before the command's name). */
    static boolean globalDebug(String[] args) {
        for (String a : args) {
            if (a.equals("-d") || a.equals("--debug")) {
                return true;
            }
            if (!a.startsWith("-")) {
                return false;
            }
        }
        return false;
    }

    /** {@code -q} or {@code -s}. */
    boolean quiet() {
        return quiet || silent;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing subcommand");
    }

    /**
     * The picocli tree, the container actions first. They are parsed by {@link ActionMain} from their own table; they
     * appear here only so that {@code jsing --help} and completion list them.
     */
    static CommandLine tree() {
        CommandLine cl = new CommandLine(new JsingCommand());
        for (Action a : Action.values()) {
            CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.create();
            spec.usageMessage().description(a.description());
            cl.addSubcommand(a.command(), spec);
        }
        cl.addSubcommand(new InspectCommand());
        cl.addSubcommand(new RunHelpCommand());
        cl.addSubcommand(new BuildCommand());
        cl.addSubcommand(new DeffileCommand());
        cl.addSubcommand(new SifCommand());
        cl.addSubcommand(new ConfigCommand());
        cl.addSubcommand(new PullCommand());
        cl.addSubcommand(new PushCommand());
        cl.addSubcommand(new CacheCommand());
        cl.addSubcommand(new OverlayCommand());
        cl.addSubcommand(new InstanceCommand());
        cl.addSubcommand(new KeyCommand());
        cl.addSubcommand(new SignCommand());
        cl.addSubcommand(new VerifyCommand());
        cl.addSubcommand(new CompletionCommand());
        cl.addSubcommand(new VersionCommand());
        cl.addSubcommand(new HelpCommand());
        cl.addSubcommand(new ManCommand());
        withHelpEverywhere(cl);
        return cl;
    }

    /** {@code -h/--help} (and {@code -V/--version}) on every command of the tree, whatever its arguments. */
    private static void withHelpEverywhere(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            if (spec.optionsMap().get("--help") == null && Action.named(spec.name()) == null) {
                spec.mixinStandardHelpOptions(true);
            }
            withHelpEverywhere(sub);
        }
    }

    /** Parses {@code args}, runs the subcommand and returns the process exit code. */
    public static int run(String[] args) {
        return run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** As {@link #run(String[])}, writing to the given streams (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = globalDebug(args);
        CommandLine cl = tree();
        cl.setOut(out);
        cl.setErr(err);
        cl.setStopAtPositional(false);
        InstanceCommand.argumentsAfterTheImage(cl.getSubcommands().get("instance"));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("jsing: " + ex.getMessage());
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> ErrorReport.report(ex, debug, err));
        return cl.execute(args);
    }
}
