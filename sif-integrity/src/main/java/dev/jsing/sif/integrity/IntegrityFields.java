package dev.jsing.sif.integrity;

import dev.jsing.sif.Descriptor;
import dev.jsing.sif.Header;
import java.io.ByteArrayOutputStream;

/**
 * The bytes of the header and of a descriptor that a signature protects, in the reference library's order.
 *
 * <p>Header: launch script (32), magic (10), version (3), image ID (16): not the architecture, times or descriptor
 * counts, which later edits (such as adding the signature itself) change. Descriptor: data type (4), used flag (1),
 * the object's ID relative to the smallest ID of its group (4), linked ID (4, group flag included), size (8), creation
 * time (8), UID (8), GID (8), name (128) and Extra (384): not the offset, padded size, modification time or raw group
 * field. Integers little-endian, as on disk.
 */
final class IntegrityFields {
    private IntegrityFields() {}

    static byte[] header(Header h) {
        byte[] raw = h.toBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream(61);
        out.write(raw, 0, 45); // launch script, magic, version
        out.write(raw, 48, 16); // ID
        return out.toByteArray();
    }

    static byte[] descriptor(Descriptor d, int groupMinId) {
        byte[] raw = d.toBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream(557);
        out.write(raw, 0, 5); // data type, used
        int rel = d.id() - groupMinId;
        for (int k = 0; k < 4; k++) {
            out.write(rel >>> (8 * k));
        }
        out.write(raw, 13, 4); // linked ID
        out.write(raw, 25, 8); // size
        out.write(raw, 41, 8); // created
        out.write(raw, 57, 16); // UID, GID
        out.write(raw, 73, 128 + 384); // name, extra
        return out.toByteArray();
    }
}
