package dev.jsing.runner.cli;

import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.config.JsingConfig;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.image.ContainerImage;
import dev.jsing.runner.image.ImageInspector;
import dev.jsing.runner.image.ImageResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsing inspect}: Show an image's metadata. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show an image's metadata.")
public final class InspectCommand implements Callable<Integer> {
    @Option(
            names = {"-l", "--labels"},
            description = "Labels (the default).")
    boolean labels;

    @Option(
            names = {"-d", "--deffile"},
            description = "The definition file the image was built from (the global --debug goes before the command).")
    boolean deffile;

    @Option(
            names = {"-r", "--runscript"},
            description = "The runscript.")
    boolean runscript;

    @Option(
            names = {"-s", "--startscript"},
            description = "The startscript (of instances).")
    boolean startscript;

    @Option(
            names = {"-e", "--environment"},
            description = "The environment files (10-docker*.sh and 9*-environment.sh).")
    boolean environment;

    @Option(
            names = {"-t", "--test"},
            description = "The test script.")
    boolean test;

    @Option(
            names = {"-H", "--helpfile"},
            description = "The help text.")
    boolean help;

    @Option(names = "--list-apps", description = "The SCIF apps of the image.")
    boolean listApps;

    @Option(names = "--app", paramLabel = "NAME", description = "Inspect this SCIF app instead of the image.")
    String app;

    @Option(names = "--all", description = "Everything, the apps' too (implies --json).")
    boolean all;

    @Option(
            names = {"-j", "--json"},
            description = "JSON output (Apptainer's format).")
    boolean json;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "SIF file, squashfs file or sandbox directory.")
    String image;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<String> items = new ArrayList<>();
        if (all) {
            items.addAll(ImageInspector.ITEMS);
        } else {
            add(items, labels, "labels");
            add(items, deffile, "deffile");
            add(items, runscript, "runscript");
            add(items, startscript, "startscript");
            add(items, environment, "environment");
            add(items, test, "test");
            add(items, help, "helpfile");
            add(items, listApps, "apps");
            if (items.isEmpty()) {
                items.add("labels");
            }
        }
        JsingConfig config = ConfigLoader.load(System.getenv(), System.getProperty("user.home"));
        ContainerImage img = ImageResolver.resolve(image);
        Map<String, Object> found = ImageInspector.read(img, items, all ? null : app, all, config.unsquashfs());
        if (app != null && !all) {
            List<String> apps = ImageInspector.apps(img, config.unsquashfs());
            if (!apps.contains(app)) {
                throw new JsingException(
                        ExitCodes.NOT_FOUND,
                        img.path() + ": no SCIF app '" + app + "'"
                                + (apps.isEmpty()
                                        ? " (the image has none)"
                                        : " (apps: " + String.join(", ", apps) + ")"));
            }
        }
        spec.commandLine()
                .getOut()
                .print(json || all ? ImageInspector.json(found) : ImageInspector.text(found, listApps));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static void add(List<String> items, boolean wanted, String item) {
        if (wanted) {
            items.add(item);
        }
    }
}
