package dev.jsing.runner.cli.action;

import dev.jsing.runner.launch.LaunchRequest;
import java.util.Arrays;
import java.util.List;

/**
 * A picocli-free parser for the common container action command lines, the launch fast path: picocli's model of a
 * command costs hundreds of milliseconds to build on a small node and its classes (Java 5 class files) cannot be
 * put in the class-data archive. It understands exactly the options of {@link ActionOptions} in their plain forms
 * ({@code --opt value}, {@code --opt=value}, {@code -B value}); for anything else ({@code --help}, clustered or
 * unknown options, a missing value) it returns null and the caller parses with picocli, which prints the usual
 * messages. {@code LeanActionParserTest} checks both parsers agree.
 */
public final class LeanActionParser {
  /** Options taking a value, as in {@link ActionOptions}. */
  static final List<String> WITH_VALUE =
      List.of(
          "-B", "--bind", "--mount", "-H", "--home", "--env", "--env-file", "--cwd", "--pwd", "-S", "--scratch", "-W",
          "--workdir", "--overlay", "--no-mount", "--hostname");

  /** Flags, as in {@link ActionOptions}. */
  static final List<String> FLAGS =
      List.of(
          "--no-home", "-c", "--contain", "-C", "--containall", "-e", "--cleanenv", "--writable-tmpfs", "-p", "--pid",
          "-i", "--ipc", "--unsquash", "--no-https", "--no-join");

  private LeanActionParser() {}

  /**
   * Parses {@code args} (what follows the action name) into a request, or returns null when picocli must parse them.
   */
  public static LaunchRequest parse(String action, String[] args, boolean debug) {
    List<String[]> options = new java.util.ArrayList<>();
    int i = 0;
    for (; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-") || a.equals("-")) {
        break;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (FLAGS.contains(name) && value == null) {
        options.add(new String[] {name, null});
        continue;
      }
      if (!WITH_VALUE.contains(name)) {
        return null;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          return null;
        }
        value = args[++i];
      }
      options.add(new String[] {name, value});
    }
    if (i >= args.length) {
      return null;
    }
    List<String> rest = Arrays.asList(args).subList(i + 1, args.length);
    if (action.equals("exec") && rest.isEmpty()) {
      return null;
    }
    LaunchRequest.Builder b = LaunchRequest.builder(action, args[i]).args(rest).debug(debug);
    for (String[] o : options) {
      if (o[1] == null) {
        applyFlag(b, o[0]);
      } else {
        apply(b, o[0], o[1]);
      }
    }
    return b.build();
  }

  private static void applyFlag(LaunchRequest.Builder b, String name) {
    switch (name) {
      case "--no-home":
        b.noHome(true);
        break;
      case "-c":
      case "--contain":
        b.contain(true);
        break;
      case "-C":
      case "--containall":
        b.containAll(true);
        break;
      case "-e":
      case "--cleanenv":
        b.cleanEnv(true);
        break;
      case "--writable-tmpfs":
        b.writableTmpfs(true);
        break;
      case "-p":
      case "--pid":
        b.pid(true);
        break;
      case "-i":
      case "--ipc":
        b.ipc(true);
        break;
      case "--no-https":
        dev.jsing.runner.registry.RegistrySettings.set(dev.jsing.runner.registry.RegistrySettings.of(true, null, null, false));
        break;
      case "--no-join":
        b.join(false);
        break;
      default:
        b.unsquash(true);
    }
  }

  private static void apply(LaunchRequest.Builder b, String name, String v) {
    switch (name) {
      case "-B":
      case "--bind":
        b.bind(v);
        break;
      case "--mount":
        b.mount(v);
        break;
      case "-H":
      case "--home":
        b.home(v);
        break;
      case "--env":
        b.env(v);
        break;
      case "--env-file":
        b.envFile(v);
        break;
      case "--cwd":
      case "--pwd":
        b.cwd(v);
        break;
      case "-S":
      case "--scratch":
        b.scratch(v);
        break;
      case "-W":
      case "--workdir":
        b.workdir(v);
        break;
      case "--overlay":
        b.overlay(v);
        break;
      case "--no-mount":
        b.noMount(v);
        break;
      default:
        b.hostname(v);
    }
  }
}
