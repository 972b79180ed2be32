package dev.jsing.sif;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The sanity checks {@link SifImage#open} applies, each failing with a one-line {@link SifFormatException}. */
final class ImageValidator {
    private ImageValidator() {}

    /** Checks the 128 header bytes of a file of {@code fileSize} bytes; returns nothing, throws on the first problem. */
    static void checkHeader(Path file, byte[] h, long fileSize) {
        if (!Arrays.equals(h, Layout.H_MAGIC, Layout.H_MAGIC + 10, Layout.MAGIC, 0, 10)) {
            throw new SifFormatException(file, "not a SIF file (bad magic)");
        }
        if (!Arrays.equals(h, Layout.H_VERSION, Layout.H_VERSION + 3, Layout.VERSION, 0, 3)) {
            throw new SifFormatException(
                    file, "unsupported SIF version \"" + Layout.trimNuls(h, Layout.H_VERSION, 3) + "\" (want \"01\")");
        }
        long total = Layout.i64(h, Layout.H_DESC_TOTAL);
        long free = Layout.i64(h, Layout.H_DESC_FREE);
        long off = Layout.i64(h, Layout.H_DESC_OFFSET);
        long size = Layout.i64(h, Layout.H_DESC_SIZE);
        if (total <= 0 || total > Layout.MAX_DESCRIPTORS) {
            throw new SifFormatException(
                    file, "absurd descriptor count " + total + " (want 1.." + Layout.MAX_DESCRIPTORS + ")");
        }
        if (free < 0 || free > total) {
            throw new SifFormatException(file, "free descriptor count " + free + " out of range 0.." + total);
        }
        if (size != total * Layout.DESCRIPTOR_SIZE) {
            throw new SifFormatException(
                    file, "descriptor table size " + size + " does not match " + total + " descriptors of 585 bytes");
        }
        if (off < Layout.HEADER_SIZE || off > fileSize || size > fileSize - off) {
            throw new SifFormatException(
                    file,
                    "descriptor table at offset " + off + " (" + size + " bytes) lies outside the file (" + fileSize
                            + " bytes)");
        }
        long dataOff = Layout.i64(h, Layout.H_DATA_OFFSET);
        long dataSize = Layout.i64(h, Layout.H_DATA_SIZE);
        if (dataOff < 0 || dataSize < 0 || dataOff > fileSize || dataSize > fileSize - dataOff) {
            throw new SifFormatException(
                    file,
                    "data section at offset " + dataOff + " (" + dataSize + " bytes) extends past the end of the file ("
                            + fileSize + " bytes)");
        }
    }

    /** Checks that every used descriptor's object lies inside the file, clear of the header, table and other objects. */
    static void checkObjects(Path file, List<Descriptor> used, long tableOff, long tableSize, long fileSize) {
        for (Descriptor d : used) {
            long off = d.offset();
            long size = d.size();
            String what = "object " + Integer.toUnsignedString(d.id());
            if (off < 0 || size < 0) {
                throw new SifFormatException(file, what + ": negative offset " + off + " or size " + size);
            }
            if (off > fileSize || size > fileSize - off) {
                throw new SifFormatException(
                        file,
                        what + " (offset " + off + ", size " + size + ") extends past the end of the file (" + fileSize
                                + " bytes)");
            }
            if (size > 0 && (off < Layout.HEADER_SIZE || (off < tableOff + tableSize && off + size > tableOff))) {
                throw new SifFormatException(
                        file,
                        what + " (offset " + off + ", size " + size + ") overlaps the header or descriptor table");
            }
        }
        List<Descriptor> sorted = new ArrayList<>(used);
        sorted.removeIf(d -> d.size() == 0);
        sorted.sort(Comparator.comparingLong(Descriptor::offset));
        for (int i = 1; i < sorted.size(); i++) {
            Descriptor a = sorted.get(i - 1);
            Descriptor b = sorted.get(i);
            if (b.offset() < a.offset() + a.size()) {
                throw new SifFormatException(
                        file,
                        "objects " + Integer.toUnsignedString(a.id()) + " (" + a.offset() + "-"
                                + (a.offset() + a.size())
                                + ") and " + Integer.toUnsignedString(b.id()) + " (" + b.offset() + "-"
                                + (b.offset() + b.size())
                                + ") overlap");
            }
        }
    }
}
