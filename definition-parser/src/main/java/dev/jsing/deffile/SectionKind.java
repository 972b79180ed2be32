package dev.jsing.deffile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The sections Apptainer accepts; the {@code %app*} kinds belong to a named SCIF app. */
public enum SectionKind {
    HELP,
    SETUP,
    FILES,
    LABELS,
    ENVIRONMENT,
    PRE,
    POST,
    RUNSCRIPT,
    TEST,
    STARTSCRIPT,
    ARGUMENTS,
    APPINSTALL,
    APPLABELS,
    APPFILES,
    APPENV,
    APPTEST,
    APPHELP,
    APPRUN,
    APPSTART;

    /** The word after {@code %}, lowercase: {@code post}, {@code appinstall}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the {@code %app*} sections, which need an app name. */
    public boolean isApp() {
        return name().startsWith("APP");
    }

    /** The kind for a section keyword (without {@code %}, any case). */
    public static Optional<SectionKind> fromKeyword(String keyword) {
        for (SectionKind k : values()) {
            if (k.keyword().equalsIgnoreCase(keyword)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Every keyword with its {@code %}, in declaration order (for messages and suggestions). */
    static List<String> percentKeywords() {
        List<String> all = new ArrayList<>();
        for (SectionKind k : values()) {
            all.add("%" + k.keyword());
        }
        return all;
    }
}
