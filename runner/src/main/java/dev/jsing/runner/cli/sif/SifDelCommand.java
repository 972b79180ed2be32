package dev.jsing.runner.cli.sif;

import dev.jsing.sif.DeleteOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jsing sif del <id> <sif_path>}: frees the descriptor; the data stays in place, as with siftool. */
@Command(
        name = "del",
        description = "Delete a data object from a SIF image.",
        footer = {"%nExamples:%n  jsing sif del 1 image.sif"})
public final class SifDelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<id>")
    String id;

    @Parameters(index = "1", paramLabel = "<sif_path>")
    Path image;

    @Override
    public Integer call() {
        int objectId = SifCli.parseId(id);
        return SifCli.withImage(image, true, img -> {
            img.delete(objectId, DeleteOptions.defaults());
            return 0;
        });
    }
}
