package dev.jsing.sif;

/** The format of an SBOM object (int32 at offset 0 of the descriptor's Extra). Codes are permanent. */
public enum SbomFormat implements OnDiskCode {
    CYCLONEDX_JSON(1, "cyclonedx-json"),
    CYCLONEDX_XML(2, "cyclonedx-xml"),
    GITHUB_JSON(3, "github-json"),
    SPDX_JSON(4, "spdx-json"),
    SPDX_RDF(5, "spdx-rdf"),
    SPDX_TAG_VALUE(6, "spdx-tag-value"),
    SPDX_YAML(7, "spdx-yaml"),
    SYFT_JSON(8, "syft-json"),
    /** Any code this library does not know. */
    UNKNOWN(0, "unknown");

    private final int code;
    private final String label;

    SbomFormat(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    /** The format for an on-disk code; {@link #UNKNOWN} for codes this library does not know. */
    public static SbomFormat of(int code) {
        return OnDiskCode.lookup(values(), code, UNKNOWN);
    }

    /** The format with this name as siftool spells it ({@code github} is accepted for {@code github-json}). */
    public static java.util.Optional<SbomFormat> parse(String name) {
        if ("github".equals(name)) {
            return java.util.Optional.of(GITHUB_JSON);
        }
        for (SbomFormat t : values()) {
            if (t != UNKNOWN && t.label.equals(name)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
