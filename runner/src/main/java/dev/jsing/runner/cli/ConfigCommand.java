package dev.jsing.runner.cli;

import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.config.JsingConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code jsing config}: Show jsing's effective configuration. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Show jsing's effective configuration.",
        subcommands = {ConfigCommand.Show.class})
public final class ConfigCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try 'jsing config show')");
    }

    /** {@code jsing config show}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print each setting and where it came from.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, String> env = System.getenv();
            String home = System.getProperty("user.home");
            JsingConfig c = ConfigLoader.load(env, home);
            java.io.PrintWriter out = spec.commandLine().getOut();
            java.nio.file.Path apptainer =
                    dev.jsing.runner.config.ApptainerConf.find(dev.jsing.runner.config.ApptainerConf.DEFAULT_FILES);
            out.println("# apptainer.conf: "
                    + (apptainer != null
                            ? apptainer
                            : dev.jsing.runner.config.ApptainerConf.DEFAULT_FILES.get(0) + " (absent)"));
            out.println("# site file: " + ConfigLoader.siteFile()
                    + (java.nio.file.Files.isRegularFile(ConfigLoader.siteFile()) ? "" : " (absent)"));
            if (ConfigLoader.envFile(env) != null) {
                out.println((System.getProperty(ConfigLoader.CONFIG_PROPERTY) != null
                                ? "# -c/--config file: "
                                : "# JSING_CONFIG file: ")
                        + ConfigLoader.envFile(env));
            }
            out.println("# user file: " + ConfigLoader.userFile(home)
                    + (java.nio.file.Files.isRegularFile(ConfigLoader.userFile(home)) ? "" : " (absent)"));
            for (String k : JsingConfig.KEYS) {
                out.println(k + ": " + c.display(k) + "    # " + c.origins().get(k));
            }
            out.flush();
            return 0;
        }
    }
}
