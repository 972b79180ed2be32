package dev.jsing.runner.cli.sif;

import dev.jsing.runner.error.ErrorReport;
import dev.jsing.sif.CreateOptions;
import dev.jsing.sif.SifImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jsing sif new <sif_path>}: an empty image as {@code siftool new} makes it (random ID, current time, 48
 * descriptors, no launch script).
 */
@Command(
        name = "new",
        description = "Create a new, empty SIF image.",
        footer = {"%nExamples:%n  jsing sif new image.sif"})
public final class SifNewCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<sif_path>")
    Path image;

    @Override
    public Integer call() {
        try {
            SifImage.create(image, CreateOptions.defaults().withLaunchScript(""))
                    .close();
            return 0;
        } catch (IOException e) {
            throw ErrorReport.inputFile(image, e);
        }
    }
}
