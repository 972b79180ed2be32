package dev.jsing.sif.integrity;

import dev.jsing.sif.DataType;
import dev.jsing.sif.Descriptor;
import dev.jsing.sif.SifImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** Object groups of an image, as signatures see them. */
final class Groups {
    private Groups() {}

    /** The group IDs in use (0, no group, excluded), ascending. */
    static List<Integer> ids(SifImage image) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (Descriptor d : image.descriptors()) {
            if (d.groupId() != 0) {
                ids.add(d.groupId());
            }
        }
        return new ArrayList<>(ids);
    }

    /** The objects of group {@code g}, in table order; an error when there are none. */
    static List<Descriptor> objects(SifImage image, int g) {
        List<Descriptor> out = image.descriptors(d -> d.groupId() == g);
        if (out.isEmpty()) {
            throw new IntegrityException(IntegrityException.Kind.INVALID_REQUEST, "object group " + g + " not found");
        }
        return out;
    }

    /** The smallest object ID among the objects with this group ID (objects in no group share "group" 0). */
    static int minId(SifImage image, int g) {
        return image.descriptors(d -> d.groupId() == g).stream()
                .mapToInt(Descriptor::id)
                .min()
                .orElseThrow(() -> new IntegrityException(
                        IntegrityException.Kind.INVALID_REQUEST, "object group " + g + " not found"));
    }

    static Descriptor object(SifImage image, int id) {
        return image.descriptor(id)
                .orElseThrow(() ->
                        new IntegrityException(IntegrityException.Kind.INVALID_REQUEST, "object " + id + " not found"));
    }

    static List<Descriptor> sortedById(List<Descriptor> ds) {
        List<Descriptor> out = new ArrayList<>(ds);
        out.sort(Comparator.comparingInt(Descriptor::id));
        return out;
    }

    static boolean isSignature(Descriptor d) {
        return d.dataType() == DataType.SIGNATURE;
    }
}
