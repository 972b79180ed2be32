package dev.jsing.sif.integrity;

import java.util.List;

/**
 * Which objects to sign or verify: the object groups {@code groups}, the objects {@code objects} (by ID), or, when
 * both are empty, every object group of the image.
 */
public record Selection(List<Integer> groups, List<Integer> objects) {
    public Selection {
        groups = List.copyOf(groups);
        objects = List.copyOf(objects);
        for (int g : groups) {
            if (g <= 0) {
                throw new IntegrityException(IntegrityException.Kind.INVALID_REQUEST, "invalid group ID " + g);
            }
        }
        for (int o : objects) {
            if (o <= 0) {
                throw new IntegrityException(IntegrityException.Kind.INVALID_REQUEST, "invalid object ID " + o);
            }
        }
    }

    public static Selection allGroups() {
        return new Selection(List.of(), List.of());
    }

    public static Selection group(int id) {
        return new Selection(List.of(id), List.of());
    }

    public static Selection object(int id) {
        return new Selection(List.of(), List.of(id));
    }

    public boolean isDefault() {
        return groups.isEmpty() && objects.isEmpty();
    }
}
