package dev.jsing.runner.image;

import dev.jsing.runner.ExitCodes;
import dev.jsing.runner.JsingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Finds the primary system partition of a SIF file: reads the 128-byte header and the descriptor table (layout in
 * {@code ../shared/docs/apptainer-reference.md} §4) with one read, and nothing else, so launching stays cheap.
 */
final class SifPartitionReader {
  static final int DESCRIPTOR_SIZE = 585;
  private static final int DATA_PARTITION = 0x4004;
  private static final int DATA_DEFFILE = 0x4001;
  private static final int FS_SQUASHFS = 1;
  private static final int PART_PRIMSYS = 2;

  private SifPartitionReader() {}

  static ContainerImage read(Path path, FileChannel ch, ByteBuffer header) throws IOException {
    header.order(ByteOrder.LITTLE_ENDIAN);
    String version = ascii(header, 42, 2);
    if (!version.equals("01")) {
      throw bad(path, "unsupported SIF version '" + version + "'");
    }
    long total = header.getLong(64 + 24);
    long descOff = header.getLong(64 + 32);
    if (total <= 0 || total > 100_000 || descOff < 128) {
      throw bad(path, "corrupt SIF header");
    }
    ByteBuffer d = ByteBuffer.allocate((int) (total * DESCRIPTOR_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
    while (d.hasRemaining()) {
      if (ch.read(d, descOff + d.position()) < 0) {
        throw bad(path, "truncated SIF descriptor table");
      }
    }
    long[] deffile = null;
    for (int i = 0; i < total; i++) {
      int b = i * DESCRIPTOR_SIZE;
      if (d.get(b + 4) == 0) {
        continue;
      }
      int type = d.getInt(b);
      if (type == DATA_DEFFILE && deffile == null) {
        deffile = new long[] {d.getLong(b + 17), d.getLong(b + 25)};
      }
      if (type != DATA_PARTITION) {
        continue;
      }
      int fs = d.getInt(b + 201);
      int part = d.getInt(b + 205);
      if (part != PART_PRIMSYS) {
        continue;
      }
      String arch = ascii(d, b + 209, 2);
      String host = HostArch.sifCode();
      if (!arch.equals("00") && host != null && !arch.equals(host)) {
        throw new JsingException(
            ExitCodes.BAD_IMAGE,
            path
                + ": image architecture is "
                + HostArch.name(arch)
                + ", this machine is "
                + HostArch.name(host));
      }
      if (fs != FS_SQUASHFS) {
        throw bad(path, "primary partition is not squashfs (filesystem type " + fs + ")");
      }
      long off = d.getLong(b + 17);
      long size = d.getLong(b + 25);
      if (off <= 0 || size <= 0 || off + size > ch.size()) {
        throw bad(path, "primary partition lies outside the file");
      }
      ByteBuffer magic = ByteBuffer.allocate(4);
      ch.read(magic, off);
      if (!ascii(magic, 0, 4).equals("hsqs")) {
        throw bad(path, "primary partition holds no squashfs filesystem");
      }
      return new ContainerImage(path, ImageKind.SIF, off, size, deffile);
    }
    throw bad(path, "SIF file has no primary system partition");
  }

  private static JsingException bad(Path path, String msg) {
    return new JsingException(ExitCodes.BAD_IMAGE, path + ": " + msg);
  }

  static String ascii(ByteBuffer b, int off, int len) {
    StringBuilder s = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      byte c = b.get(off + i);
      if (c == 0) {
        break;
      }
      s.append((char) (c & 0xff));
    }
    return s.toString();
  }
}
