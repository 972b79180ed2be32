package dev.jsing.deffile;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed definition file: its stages in order (only the last one is assembled into the image) and the full text it
 * was read from. Immutable. Equality compares the stages' models, not the raw text.
 */
public final class Definition {
    private final List<Stage> stages;
    private final String raw;

    private Definition(List<Stage> stages, String raw) {
        this.stages = List.copyOf(stages);
        this.raw = Objects.requireNonNull(raw, "raw");
    }

    /**
     * A definition of {@code stages}; {@code raw} is the full text (what goes into the SIF deffile object).
     *
     * @throws IllegalArgumentException when there are no stages, two stages share a name, or a {@code %files from}
     *     names no earlier stage
     */
    public static Definition of(List<Stage> stages, String raw) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a definition needs at least one stage");
        }
        Set<String> earlier = new HashSet<>();
        for (Stage st : stages) {
            for (FileEntry f : st.files()) {
                if (f.sourceStage() != null && !earlier.contains(f.sourceStage())) {
                    throw new IllegalArgumentException("%files from unknown stage " + f.sourceStage());
                }
            }
            if (st.name() != null && !earlier.add(st.name())) {
                throw new IllegalArgumentException("duplicate stage name " + st.name());
            }
        }
        return new Definition(stages, raw);
    }

    public List<Stage> stages() {
        return stages;
    }

    /** The stage that becomes the image. */
    public Stage lastStage() {
        return stages.get(stages.size() - 1);
    }

    /** The stage named {@code name} ({@code Stage: name}). */
    public Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst();
    }

    /** The full text as read (for a file from disk: its exact contents, before templating). Not part of equality. */
    public String raw() {
        return raw;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Definition d && stages.equals(d.stages);
    }

    @Override
    public int hashCode() {
        return stages.hashCode();
    }

    @Override
    public String toString() {
        return "Definition" + stages;
    }
}
