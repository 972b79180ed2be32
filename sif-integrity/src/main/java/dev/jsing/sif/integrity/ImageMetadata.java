package dev.jsing.sif.integrity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a (non-legacy) signature signs: version 1 metadata with the digest of the header's protected fields and, per
 * object of the group, the digests of its descriptor's protected fields and of its data. Objects are named by their
 * ID relative to the group's smallest ID, so the metadata does not depend on where the group sits in the table.
 */
record ImageMetadata(Digest header, List<ObjectDigests> objects) {
    record ObjectDigests(long relativeId, Digest descriptor, Digest object) {}

    ImageMetadata {
        objects = List.copyOf(objects);
    }

    /** The JSON the reference library signs (Go's {@code json.Marshal} of its structs: compact, in field order). */
    String toJson() {
        StringBuilder b = new StringBuilder();
        b.append("{\"version\":1,\"header\":{\"digest\":")
                .append(Json.quote(header.toString()))
                .append("},\"objects\":");
        if (objects.isEmpty()) {
            b.append("null");
        } else {
            b.append('[');
            for (int k = 0; k < objects.size(); k++) {
                ObjectDigests o = objects.get(k);
                if (k > 0) {
                    b.append(',');
                }
                b.append("{\"relativeId\":").append(o.relativeId());
                b.append(",\"descriptorDigest\":")
                        .append(Json.quote(o.descriptor().toString()));
                b.append(",\"objectDigest\":")
                        .append(Json.quote(o.object().toString()))
                        .append('}');
            }
            b.append(']');
        }
        return b.append('}').toString();
    }

    /** Parses signed metadata; only version 1 is known. */
    static ImageMetadata parse(String json) {
        Map<String, Object> m = Json.object(Json.parse(json), "metadata");
        long version = Json.integer(m.get("version"), "metadata version");
        if (version != 1) {
            throw new IllegalArgumentException("unknown metadata version " + version);
        }
        Map<String, Object> h = Json.object(m.get("header"), "metadata header");
        Digest header = Digest.parse(Json.string(h.get("digest"), "header digest"));
        List<ObjectDigests> objects = new ArrayList<>();
        Object list = m.get("objects");
        if (list != null) {
            for (Object o : Json.array(list, "metadata objects")) {
                Map<String, Object> om = Json.object(o, "metadata object");
                long rel = Json.integer(om.get("relativeId"), "relativeId");
                if (rel < 0 || rel > 0xFFFFFFFFL) {
                    throw new IllegalArgumentException("relativeId out of range: " + rel);
                }
                objects.add(new ObjectDigests(
                        rel,
                        Digest.parse(Json.string(om.get("descriptorDigest"), "descriptorDigest")),
                        Digest.parse(Json.string(om.get("objectDigest"), "objectDigest"))));
            }
        }
        return new ImageMetadata(header, objects);
    }
}
