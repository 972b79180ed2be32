package dev.jsing.runner.cli.sif;

import dev.jsing.sif.Descriptor;
import dev.jsing.sif.SifException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jsing sif dump <id> <sif_path>}: the object's bytes on standard output. */
@Command(
        name = "dump",
        description = "Dump a data object from a SIF image.",
        footer = {"%nExamples:%n  jsing sif dump 1 image.sif"})
public final class SifDumpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<id>")
    String id;

    @Parameters(index = "1", paramLabel = "<sif_path>")
    Path image;

    @Override
    public Integer call() {
        int objectId = SifCli.parseId(id);
        return SifCli.withImage(image, false, img -> {
            Descriptor d = img.descriptor(objectId)
                    .orElseThrow(() -> new SifException(
                            image, SifException.Reason.OBJECT_NOT_FOUND, "object " + id + " not found"));
            OutputStream out = new FileOutputStream(FileDescriptor.out);
            try (InputStream in = img.openStream(d)) {
                in.transferTo(out);
            }
            out.flush();
            return 0;
        });
    }
}
