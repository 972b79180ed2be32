package dev.jsing.runner.cli;

import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.config.JsingConfig;
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
            names = "--deffile",
            description = "The definition file the image was built from (Apptainer's -d is jsing's --debug).")
    boolean deffile;

    @Option(
            names = {"-r", "--runscript"},
            description = "The runscript.")
    boolean runscript;

    @Option(
            names = {"-e", "--environment"},
            description = "The environment script.")
    boolean environment;

    @Option(
            names = {"-t", "--test"},
            description = "The test script.")
    boolean test;

    @Option(
            names = {"-H", "--helpfile"},
            description = "The help text.")
    boolean help;

    @Option(names = "--all", description = "Everything.")
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
        if (labels || all) {
            items.add("labels");
        }
        if (deffile || all) {
            items.add("deffile");
        }
        if (runscript || all) {
            items.add("runscript");
        }
        if (environment || all) {
            items.add("environment");
        }
        if (test || all) {
            items.add("test");
        }
        if (help || all) {
            items.add("helpfile");
        }
        if (items.isEmpty()) {
            items.add("labels");
        }
        JsingConfig config = ConfigLoader.load(System.getenv(), System.getProperty("user.home"));
        ContainerImage img = ImageResolver.resolve(image);
        Map<String, String> found = ImageInspector.read(img, items, config.unsquashfs());
        spec.commandLine().getOut().print(json ? ImageInspector.json(found) : ImageInspector.text(found));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
