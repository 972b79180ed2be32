package dev.jsing.deffile;

import java.util.List;
import java.util.Optional;

/** A SCIF app: its name and its {@code %app*} sections in file order. */
public record App(String name, List<Section> sections) {
    public App {
        sections = List.copyOf(sections);
        for (Section s : sections) {
            if (!name.equals(s.app())) {
                throw new IllegalArgumentException("section %" + s.kind().keyword() + " belongs to app " + s.app());
            }
        }
    }

    /** This app's section of {@code kind}, if present. */
    public Optional<Section> section(SectionKind kind) {
        return sections.stream().filter(s -> s.kind() == kind).findFirst();
    }

    /** The {@code %appfiles} lines (copied from the host). */
    public List<FileEntry> files() {
        return section(SectionKind.APPFILES)
                .map(s -> FilesLines.entries(s.body(), null))
                .orElse(List.of());
    }

    /** The {@code %applabels} lines. */
    public List<Label> labels() {
        return section(SectionKind.APPLABELS)
                .map(s -> LabelLines.labels(s.body()))
                .orElse(List.of());
    }
}
