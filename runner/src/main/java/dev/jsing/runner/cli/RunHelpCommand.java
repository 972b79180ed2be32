package dev.jsing.runner.cli;

import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.image.ContainerImage;
import dev.jsing.runner.image.ImageFiles;
import dev.jsing.runner.image.ImageResolver;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsing run-help}: Show an image's help text. */
@Command(name = "run-help", mixinStandardHelpOptions = true, description = "Show an image's help text.")
public final class RunHelpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "SIF file, squashfs file or sandbox directory.")
    String image;

    @picocli.CommandLine.Option(
            names = "--app",
            paramLabel = "NAME",
            description = "Show the help of the SCIF app NAME (/scif/apps/NAME/scif/runscript.help).")
    String app;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ContainerImage img = ImageResolver.resolve(image);
        String unsquashfs = ConfigLoader.load(System.getenv(), System.getProperty("user.home"))
                .unsquashfs();
        String help = ImageFiles.read(
                img,
                app == null ? "/.singularity.d/runscript.help" : "/scif/apps/" + app + "/scif/runscript.help",
                unsquashfs);
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.print(help != null ? help : "No help sections were defined for this image\n");
        out.flush();
        return 0;
    }
}
