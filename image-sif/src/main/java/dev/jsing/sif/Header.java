package dev.jsing.sif;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/** An immutable view of a SIF global header (the first 128 bytes of the file). */
public final class Header {
    private final byte[] raw;

    private Header(byte[] raw) {
        this.raw = raw;
    }

    static Header of(byte[] raw) {
        return new Header(Arrays.copyOf(raw, Layout.HEADER_SIZE));
    }

    /** The launch script, NULs trimmed ({@code ""} when none). */
    public String launchScript() {
        return Layout.trimNuls(raw, Layout.H_LAUNCH, Layout.H_LAUNCH_LEN);
    }

    /** The format version, {@code "01"}. */
    public String version() {
        return Layout.trimNuls(raw, Layout.H_VERSION, 3);
    }

    /** The architecture of the primary partition ({@link Arch#UNKNOWN} when there is none). */
    public Arch arch() {
        return Arch.ofCode(Layout.trimNuls(raw, Layout.H_ARCH, 3));
    }

    /** The image ID; the nil UUID for deterministic images. */
    public UUID id() {
        ByteBuffer b = ByteBuffer.wrap(raw, Layout.H_ID, 16);
        return new UUID(b.getLong(), b.getLong());
    }

    /** The raw 64-bit Unix time (any value: {@link #createdAt} fails outside {@link Instant}'s range). */
    public long createdAtSeconds() {
        return Layout.i64(raw, Layout.H_CREATED);
    }

    public Instant createdAt() {
        return Instant.ofEpochSecond(Layout.i64(raw, Layout.H_CREATED));
    }

    /** The raw 64-bit Unix time (any value: {@link #modifiedAt} fails outside {@link Instant}'s range). */
    public long modifiedAtSeconds() {
        return Layout.i64(raw, Layout.H_MODIFIED);
    }

    public Instant modifiedAt() {
        return Instant.ofEpochSecond(Layout.i64(raw, Layout.H_MODIFIED));
    }

    public long descriptorsFree() {
        return Layout.i64(raw, Layout.H_DESC_FREE);
    }

    public long descriptorsTotal() {
        return Layout.i64(raw, Layout.H_DESC_TOTAL);
    }

    public long descriptorsOffset() {
        return Layout.i64(raw, Layout.H_DESC_OFFSET);
    }

    public long descriptorsSize() {
        return Layout.i64(raw, Layout.H_DESC_SIZE);
    }

    public long dataOffset() {
        return Layout.i64(raw, Layout.H_DATA_OFFSET);
    }

    public long dataSize() {
        return Layout.i64(raw, Layout.H_DATA_SIZE);
    }

    /** True for a nil ID and zero creation and modification times: edits then keep the zero time. */
    public boolean isDeterministic() {
        UUID id = id();
        return id.getMostSignificantBits() == 0
                && id.getLeastSignificantBits() == 0
                && createdAtSeconds() == SifImage.ZERO_TIME.getEpochSecond()
                && modifiedAtSeconds() == SifImage.ZERO_TIME.getEpochSecond();
    }

    /** The 128 header bytes as stored. */
    public byte[] toBytes() {
        return raw.clone();
    }
}
