package dev.jsing.runner.cli.sif;

import dev.jsing.runner.error.ErrorReport;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.SifImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** What the {@code jsing sif} commands share: opening images, parsing object IDs. */
final class SifCli {
    private SifCli() {}

    /** An action on an open image. */
    interface ImageAction<T> {
        T apply(SifImage image) throws IOException;
    }

    /**
     * Opens {@code file} (read-only or for editing), runs {@code action} and closes it. I/O failures are mapped as the
     * command's input file ({@link ErrorReport#inputFile}); library failures ({@code SifException}) go to
     * {@link ErrorReport} as they are.
     */
    static <T> T withImage(Path file, boolean writable, ImageAction<T> action) {
        try (SifImage image = writable ? SifImage.openWritable(file) : SifImage.open(file)) {
            return action.apply(image);
        } catch (IOException e) {
            throw ErrorReport.inputFile(file, e);
        } catch (UncheckedIOException e) {
            throw ErrorReport.inputFile(file, e.getCause());
        }
    }

    /** Parses an object ID as siftool does (an unsigned 32-bit decimal). */
    static int parseId(String text) {
        try {
            return Integer.parseUnsignedInt(text);
        } catch (NumberFormatException e) {
            throw new JsingException(
                    ExitCodes.USAGE, "invalid object ID '" + text + "': want an unsigned 32-bit number");
        }
    }
}
