package dev.jsing.runner.cli.sif;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.SifException;
import dev.jsing.sif.SifFormatException;
import dev.jsing.sif.SifImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** What the {@code jsing sif} commands share: opening images and turning library failures into {@link JsingException}. */
final class SifCli {
  private SifCli() {}

  /** An action on an open image. */
  interface ImageAction<T> {
    T apply(SifImage image) throws IOException;
  }

  /** Opens {@code file} (read-only or for editing), runs {@code action} and closes it, mapping every failure. */
  static <T> T withImage(Path file, boolean writable, ImageAction<T> action) {
    try (SifImage image = writable ? SifImage.openWritable(file) : SifImage.open(file)) {
      return action.apply(image);
    } catch (IOException e) {
      throw io(file, e);
    } catch (UncheckedIOException e) {
      throw io(file, e.getCause());
    } catch (SifException e) {
      throw sif(e);
    }
  }

  /** The exit code and one-line message for a library failure. */
  static JsingException sif(SifException e) {
    if (e instanceof SifFormatException) {
      return new JsingException(ExitCodes.BAD_IMAGE, e.getMessage(), e);
    }
    switch (e.reason()) {
      case OBJECT_NOT_FOUND:
        return new JsingException(ExitCodes.NOT_FOUND, e.getMessage(), e);
      case NO_FREE_DESCRIPTOR:
        return new JsingException(ExitCodes.CANT_CREATE, e.getMessage(), e);
      default:
        return new JsingException(ExitCodes.USAGE, e.getMessage(), e);
    }
  }

  /** The exit code and one-line message for an I/O failure on {@code file}. */
  static JsingException io(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new JsingException(ExitCodes.NOT_FOUND, e.getMessage() + ": no such file or directory", e);
    }
    if (e instanceof AccessDeniedException) {
      return new JsingException(ExitCodes.NOT_FOUND, e.getMessage() + ": permission denied", e);
    }
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
      return new JsingException(ExitCodes.IO_ERROR, fse.getFile() + ": " + fse.getReason(), e);
    }
    return new JsingException(ExitCodes.IO_ERROR, file + ": " + e.getMessage(), e);
  }

  /** Parses an object ID as siftool does (an unsigned 32-bit decimal). */
  static int parseId(String text) {
    try {
      return Integer.parseUnsignedInt(text);
    } catch (NumberFormatException e) {
      throw new JsingException(ExitCodes.USAGE, "invalid object ID '" + text + "': want an unsigned 32-bit number");
    }
  }
}
