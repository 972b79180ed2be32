package dev.jsing.deffile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One build stage: the text from one {@code Bootstrap:} line to the next (or a whole single-stage file). Immutable.
 *
 * <p>The header maps lowercased keywords to values in file order. {@link #sections()} lists every section, apps'
 * included, merged and in order of first appearance; apps, {@code %files} entries, labels and arguments are derived
 * from them. Equality compares the model (header and sections), not the raw text, so a stage rendered to canonical
 * text and parsed again equals the original.
 */
public final class Stage {
    private final Map<String, String> header;
    private final List<Section> sections;
    private final String raw;
    private final List<App> apps;
    private final List<FileEntry> files;
    private final List<Label> labels;
    private final Map<String, String> arguments;

    private Stage(Map<String, String> header, List<Section> sections, String raw) {
        this.header = Collections.unmodifiableMap(new LinkedHashMap<>(header));
        this.sections = List.copyOf(sections);
        this.raw = Objects.requireNonNull(raw, "raw");
        this.apps = groupApps(this.sections);
        this.files = collectFiles(this.sections);
        this.labels = section(SectionKind.LABELS)
                .map(s -> LabelLines.labels(s.body()))
                .orElse(List.of());
        this.arguments = section(SectionKind.ARGUMENTS)
                .map(s -> ArgumentLines.arguments(s.body()))
                .orElse(Map.of());
        String stage = this.header.get("stage");
        if (stage != null && stage.isEmpty()) {
            throw new IllegalArgumentException("empty stage name");
        }
    }

    /**
     * A stage from its parts. {@code header} keys must be lowercase; {@code sections} must already be merged (one per
     * kind and app, one {@code %files} per distinct arguments).
     *
     * @throws IllegalArgumentException when a section repeats, or a {@code %files} line or argument is invalid
     */
    public static Stage of(Map<String, String> header, List<Section> sections, String raw) {
        List<String> seen = new ArrayList<>();
        for (Section s : sections) {
            String key = s.kind() + " " + s.app() + (s.kind() == SectionKind.FILES ? " " + s.args() : "");
            if (seen.contains(key)) {
                throw new IllegalArgumentException(
                        "repeated section %" + s.kind().keyword());
            }
            seen.add(key);
        }
        for (String k : header.keySet()) {
            if (!k.equals(k.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("header keyword must be lowercase: " + k);
            }
        }
        return new Stage(header, sections, raw);
    }

    /** The {@code Stage:} name, or {@code null} when the stage has none. */
    public String name() {
        return header.get("stage");
    }

    /** The {@code Bootstrap:} agent, or {@code null} (a header-less file, for an existing image). */
    public String bootstrap() {
        return header.get("bootstrap");
    }

    /** Lowercased header keyword to value, in file order. */
    public Map<String, String> header() {
        return header;
    }

    /** Every section, merged, in order of first appearance. */
    public List<Section> sections() {
        return sections;
    }

    /** The stage-level section of {@code kind} (the first {@code %files} for FILES), if present. */
    public Optional<Section> section(SectionKind kind) {
        return sections.stream().filter(s -> s.kind() == kind).findFirst();
    }

    /** The SCIF apps in order of first appearance. */
    public List<App> apps() {
        return apps;
    }

    /** All {@code %files} entries, section by section, each with its source stage. */
    public List<FileEntry> files() {
        return files;
    }

    /** The {@code %labels}, in order; a repeated key keeps its last value. */
    public List<Label> labels() {
        return labels;
    }

    /** The {@code %arguments} defaults for templating. */
    public Map<String, String> arguments() {
        return arguments;
    }

    /** The text this stage was parsed from (after templating, line endings normalised). Not part of equality. */
    public String raw() {
        return raw;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stage s && header.equals(s.header) && sections.equals(s.sections);
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, sections);
    }

    @Override
    public String toString() {
        return "Stage[header=" + header + ", sections=" + sections + "]";
    }

    private static List<App> groupApps(List<Section> sections) {
        Map<String, List<Section>> byApp = new LinkedHashMap<>();
        for (Section s : sections) {
            if (s.app() != null) {
                byApp.computeIfAbsent(s.app(), a -> new ArrayList<>()).add(s);
            }
        }
        List<App> out = new ArrayList<>();
        byApp.forEach((name, list) -> out.add(new App(name, list)));
        return List.copyOf(out);
    }

    private static List<FileEntry> collectFiles(List<Section> sections) {
        List<FileEntry> out = new ArrayList<>();
        for (Section s : sections) {
            if (s.kind() == SectionKind.FILES) {
                String from;
                try {
                    from = FilesLines.sourceStage(s.args());
                } catch (LineProblem p) {
                    throw new IllegalArgumentException(p.getMessage());
                }
                out.addAll(FilesLines.entries(s.body(), from));
            }
        }
        return List.copyOf(out);
    }
}
