package dev.jsing.runner.cli.action;

import dev.jsing.runner.error.UsageException;
import dev.jsing.runner.launch.LaunchRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Parses an action's command line with the {@link ActionOption} table, as Apptainer's (pflag) parser does for these
 * options: {@code --opt value}, {@code --opt=value}, {@code -B value}, {@code -Bvalue}, clustered short flags
 * ({@code -ce}), {@code --flag=true|false}, {@code --} before the image. Parsing stops at the image (the first
 * positional), so {@code jsing exec img ls -la} passes {@code -la} on. Then the environment keys apply
 * ({@link ActionEnvironment}). No global state is touched. A bad command line is a {@link UsageException}.
 */
public final class ActionParser {
    private ActionParser() {}

    /** Parses {@code args} (what follows the action name) with the environment {@code env}. */
    public static ParsedAction parse(
            Action action, String[] args, Map<String, String> env, boolean debug, boolean quiet) {
        return parse(action, "jsing " + action.command(), args, env, debug, quiet, false);
    }

    /** {@link #parse(Action, String[], Map, boolean, boolean)} with the global {@code -v}. */
    public static ParsedAction parse(
            Action action, String[] args, Map<String, String> env, boolean debug, boolean quiet, boolean verbose) {
        return parse(action, "jsing " + action.command(), args, env, debug, quiet, verbose);
    }

    /**
     * The options of an instance's command line that apply to a process entering it ({@code exec instance://NAME}):
     * the others (binds, overlays, namespaces, ...) were fixed when the instance started.
     */
    static final EnumSet<ActionOption> FOR_ENTERING = EnumSet.of(
            ActionOption.ENV,
            ActionOption.ENV_FILE,
            ActionOption.CLEANENV,
            ActionOption.CWD,
            ActionOption.PWD,
            ActionOption.SHELL,
            ActionOption.USERNS);

    /**
     * Parses {@code args} as {@link #parse(Action, String[], Map, boolean, boolean)} does, for the command {@code cmd}
     * (its name in messages: {@code jsing instance start} takes {@code run}'s options).
     */
    public static ParsedAction parse(
            Action action, String cmd, String[] args, Map<String, String> env, boolean debug, boolean quiet) {
        return parse(action, cmd, args, env, debug, quiet, false);
    }

    /** {@link #parse(Action, String, String[], Map, boolean, boolean)} with the global {@code -v}. */
    public static ParsedAction parse(
            Action action,
            String cmd,
            String[] args,
            Map<String, String> env,
            boolean debug,
            boolean quiet,
            boolean verbose) {
        List<Object[]> given = new ArrayList<>();
        EnumSet<ActionOption> set = EnumSet.noneOf(ActionOption.class);
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            if (a.equals("-h") || a.equals("--help")) {
                return new ParsedAction(action, null, true);
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq > 0 ? a.substring(0, eq) : a;
                ActionOption o = known(action, cmd, name, a);
                String value = eq > 0 ? a.substring(eq + 1) : null;
                if (o.kind() == ActionOption.Kind.FLAG) {
                    if (value == null || parseFlagValue(cmd, name, value)) {
                        given.add(new Object[] {o, null});
                    }
                    set.add(o);
                    continue;
                }
                if (value == null) {
                    value = valueAfter(cmd, args, i, o, name);
                    i++;
                }
                given.add(new Object[] {o, value});
                set.add(o);
                continue;
            }
            // short options: -c, -ce (clustered flags), -B value, -Bvalue, -cB value
            for (int k = 1; k < a.length(); k++) {
                String name = "-" + a.charAt(k);
                if (name.equals("-h")) {
                    return new ParsedAction(action, null, true);
                }
                ActionOption o = known(action, cmd, name, a);
                set.add(o);
                if (o.kind() == ActionOption.Kind.FLAG) {
                    given.add(new Object[] {o, null});
                    continue;
                }
                String value;
                if (k + 1 < a.length()) {
                    value = a.substring(k + 1);
                } else {
                    value = valueAfter(cmd, args, i, o, name);
                    i++;
                }
                given.add(new Object[] {o, value});
                break;
            }
        }
        if (i >= args.length) {
            throw new UsageException(cmd, "Missing required parameter: 'IMAGE'");
        }
        List<String> rest = Arrays.asList(args).subList(i + 1, args.length);
        boolean entering = args[i].startsWith("instance://");
        if (entering) {
            for (Object[] g : given) {
                ActionOption o = (ActionOption) g[0];
                if (!FOR_ENTERING.contains(o)) {
                    throw new UsageException(
                            cmd,
                            o.canonicalName() + ": not with an instance (its mounts and namespaces were set when it"
                                    + " started)");
                }
            }
        }
        if (action.needsCommand() && rest.isEmpty()) {
            throw new UsageException(cmd, "Missing required parameter: 'COMMAND'");
        }
        LaunchRequest.Builder b = LaunchRequest.builder(action.command(), args[i])
                .args(rest)
                .debug(debug)
                .quiet(quiet)
                .verbose(verbose && !quiet);
        EnumSet<ActionOption> seen = EnumSet.noneOf(ActionOption.class);
        for (Object[] g : given) {
            ActionOption o = (ActionOption) g[0];
            String v = (String) g[1];
            if (v != null) {
                String problem = o.problem(v);
                if (problem != null) {
                    throw new UsageException(cmd, o.canonicalName() + ": " + problem);
                }
            }
            if (o.once() && !seen.add(o)) {
                throw new UsageException(cmd, o.canonicalName() + " may be given once");
            }
            o.apply(b, v);
        }
        for (ActionEnvironment.Setting s : ActionEnvironment.settings(env)) {
            ActionOption o = s.option();
            if (!o.appliesTo(action) || (entering && !FOR_ENTERING.contains(o))) {
                continue; // (an instance's mounts and namespaces are its own: the environment's binds do not apply)
            }
            if (!o.envAppends() && (set.contains(o) || set.contains(sameSlot(o)))) {
                continue;
            }
            if (o.kind() == ActionOption.Kind.FLAG) {
                if (ActionEnvironment.parseBool(s.variable(), s.value())) {
                    o.apply(b, null);
                }
            } else if (o.kind() == ActionOption.Kind.LIST && !o.envAppends()) {
                for (String v : s.value().split(",")) {
                    if (!v.trim().isEmpty()) {
                        o.apply(b, checked(o, s.variable(), v.trim()));
                    }
                }
            } else {
                o.apply(b, checked(o, s.variable(), s.value()));
            }
        }
        return new ParsedAction(action, b.build(), false);
    }

    /** {@code value} from the environment variable {@code variable}, or a usage error naming the variable. */
    private static String checked(ActionOption o, String variable, String value) {
        String problem = o.problem(value);
        if (problem != null) {
            throw new dev.jsing.runner.error.JsingException(
                    dev.jsing.runner.error.ExitCodes.USAGE, variable + " (" + o.canonicalName() + "): " + problem);
        }
        return value;
    }

    /** {@code --cwd} and {@code --pwd} set the same thing: either on the command line hides both keys. */
    private static ActionOption sameSlot(ActionOption o) {
        return o == ActionOption.CWD ? ActionOption.PWD : o == ActionOption.PWD ? ActionOption.CWD : o;
    }

    private static ActionOption known(Action action, String cmd, String name, String arg) {
        ActionOption o = ActionOption.byName(action, name);
        if (o == null) {
            throw new UsageException(cmd, "Unknown option: '" + (arg.startsWith("--") ? name : arg) + "'");
        }
        return o;
    }

    private static String valueAfter(String cmd, String[] args, int i, ActionOption o, String name) {
        if (i + 1 >= args.length) {
            throw new UsageException(
                    cmd, "Missing required parameter for option '" + name + "' (" + o.paramLabel() + ")");
        }
        return args[i + 1];
    }

    private static boolean parseFlagValue(String cmd, String name, String value) {
        Boolean b = ActionEnvironment.goBool(value);
        if (b == null) {
            throw new UsageException(cmd, "Invalid value for option '" + name + "': '" + value + "' is not a boolean");
        }
        return b;
    }
}
