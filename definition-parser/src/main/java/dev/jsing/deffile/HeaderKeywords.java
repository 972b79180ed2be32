package dev.jsing.deffile;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The header keywords Apptainer accepts ({@code validHeaders} in its parser, plus the build agents' keys). */
final class HeaderKeywords {
    /** Display spellings, for messages; matching is case-insensitive. */
    static final List<String> DISPLAY = List.of(
            "Bootstrap",
            "From",
            "Stage",
            "IncludeCmd",
            "MirrorURL",
            "UpdateURL",
            "OSVersion",
            "Include",
            "Library",
            "Registry",
            "Namespace",
            "Product",
            "User",
            "Regcode",
            "ProductPGP",
            "RegisterURL",
            "Modules",
            "OtherURL0",
            "Fingerprints",
            "ConfURL",
            "SetOpt",
            "Target",
            "Frontend",
            "Filename",
            "BuildArgs");

    private static final Pattern OTHER_URL = Pattern.compile("otherurl[0-9]+");

    private HeaderKeywords() {}

    /** True for a valid lowercased keyword, including {@code otherurl<N>}. */
    static boolean isValid(String lower) {
        if (OTHER_URL.matcher(lower).matches()) {
            return true;
        }
        for (String d : DISPLAY) {
            if (d.toLowerCase(Locale.ROOT).equals(lower) && !d.equals("OtherURL0")) {
                return true;
            }
        }
        return false;
    }

    /** The likely intended keyword for a misspelt one. */
    static Optional<String> suggest(String key) {
        return Suggestions.closest(key, DISPLAY);
    }
}
