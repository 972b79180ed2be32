package dev.jsing.sif;

import java.nio.charset.StandardCharsets;

/** Offsets and sizes of the on-disk structures (see the package documentation). */
final class Layout {
    static final int HEADER_SIZE = 128;
    static final int H_LAUNCH = 0;
    static final int H_LAUNCH_LEN = 32;
    static final int H_MAGIC = 32;
    static final int H_VERSION = 42;
    static final int H_ARCH = 45;
    static final int H_ID = 48;
    static final int H_CREATED = 64;
    static final int H_MODIFIED = 72;
    static final int H_DESC_FREE = 80;
    static final int H_DESC_TOTAL = 88;
    static final int H_DESC_OFFSET = 96;
    static final int H_DESC_SIZE = 104;
    static final int H_DATA_OFFSET = 112;
    static final int H_DATA_SIZE = 120;

    static final int DESCRIPTOR_SIZE = 585;
    static final int D_DATATYPE = 0;
    static final int D_USED = 4;
    static final int D_ID = 5;
    static final int D_GROUP = 9;
    static final int D_LINK = 13;
    static final int D_OFFSET = 17;
    static final int D_SIZE = 25;
    static final int D_SIZE_PADDED = 33;
    static final int D_CREATED = 41;
    static final int D_MODIFIED = 49;
    static final int D_UID = 57;
    static final int D_GID = 65;
    static final int D_NAME = 73;
    static final int D_NAME_LEN = 128;
    static final int D_EXTRA = 201;
    static final int D_EXTRA_LEN = 384;

    static final int GROUP_MASK = 0xF0000000;

    static final byte[] MAGIC = "SIF_MAGIC\0".getBytes(StandardCharsets.US_ASCII);
    static final byte[] VERSION = "01\0".getBytes(StandardCharsets.US_ASCII);

    /** Descriptor counts above this are rejected before anything is allocated. */
    static final long MAX_DESCRIPTORS = 65536;

    private Layout() {}

    static long i64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static int i32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    static void putI64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static void putI32(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** The bytes up to the last non-NUL byte, as the reference trims them ({@code strings.TrimRight(s, "\0")}). */
    static String trimNuls(byte[] b, int off, int len) {
        int end = off + len;
        while (end > off && b[end - 1] == 0) {
            end--;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }
}
