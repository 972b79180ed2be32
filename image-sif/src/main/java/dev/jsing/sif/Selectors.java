package dev.jsing.sif;

import java.util.function.Predicate;

/** Predicates that select descriptors, for {@link SifImage#descriptors(Predicate)}; combine them with {@code and}. */
public final class Selectors {
    private Selectors() {}

    public static Predicate<Descriptor> withId(int id) {
        return d -> d.id() == id;
    }

    public static Predicate<Descriptor> withDataType(DataType type) {
        return d -> d.dataType() == type;
    }

    /** Objects in group {@code groupId} (masked value; 0 selects objects in no group). */
    public static Predicate<Descriptor> withGroupId(int groupId) {
        return d -> d.groupId() == groupId;
    }

    /** Partitions of the given role. */
    public static Predicate<Descriptor> withPartitionType(PartType type) {
        return d -> d.partition().map(p -> p.partType() == type).orElse(false);
    }

    /** Objects linked to the object {@code id}. */
    public static Predicate<Descriptor> linkedToObject(int id) {
        return d -> !d.isLinkedToGroup() && d.linkedId() == id;
    }

    /** Objects linked to the group {@code groupId}. */
    public static Predicate<Descriptor> linkedToGroup(int groupId) {
        return d -> d.isLinkedToGroup() && d.linkedId() == groupId;
    }
}
