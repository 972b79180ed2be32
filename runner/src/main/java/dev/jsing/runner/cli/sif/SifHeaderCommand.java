package dev.jsing.runner.cli.sif;

import dev.jsing.sif.text.SiftoolText;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsing sif header <sif_path>}. */
@Command(
        name = "header",
        description = "Display global header from a SIF image.",
        footer = {"%nExamples:%n  jsing sif header image.sif"})
public final class SifHeaderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<sif_path>")
    Path image;

    @Override
    public Integer call() {
        String text = SifCli.withImage(image, false, img -> SiftoolText.header(img.header()));
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
