package dev.jsing.runner.cli.sif;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.Descriptor;
import dev.jsing.sif.SifException;
import dev.jsing.sif.text.SiftoolText;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsing sif info <id> <sif_path>}. */
@Command(
        name = "info",
        description = "Display info about a data object from a SIF image.",
        footer = {"%nExamples:%n  jsing sif info 1 image.sif"})
public final class SifInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<id>")
    String id;

    @Parameters(index = "1", paramLabel = "<sif_path>")
    Path image;

    @Override
    public Integer call() {
        int objectId = SifCli.parseId(id);
        String text = SifCli.withImage(image, false, img -> {
            Descriptor d = img.descriptor(objectId)
                    .orElseThrow(() -> new SifException(
                            image, SifException.Reason.OBJECT_NOT_FOUND, "object " + id + " not found"));
            return SiftoolText.info(d)
                    .orElseThrow(() -> new JsingException(
                            ExitCodes.BAD_IMAGE, image + ": object " + id + ": hash algorithm unsupported"));
        });
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
