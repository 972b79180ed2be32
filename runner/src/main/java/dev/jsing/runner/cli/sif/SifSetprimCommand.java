package dev.jsing.runner.cli.sif;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jsing sif setprim <id> <sif_path>}. */
@Command(
        name = "setprim",
        description = "Set the primary system partition in a SIF image.",
        footer = {"%nExamples:%n  jsing sif setprim 1 image.sif"})
public final class SifSetprimCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<id>")
    String id;

    @Parameters(index = "1", paramLabel = "<sif_path>")
    Path image;

    @Override
    public Integer call() {
        int objectId = SifCli.parseId(id);
        return SifCli.withImage(image, true, img -> {
            img.setPrimaryPartition(objectId);
            return 0;
        });
    }
}
