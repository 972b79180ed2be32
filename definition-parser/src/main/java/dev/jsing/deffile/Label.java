package dev.jsing.deffile;

import java.util.Objects;

/** One {@code %labels} line, {@code KEY VALUE}, split at the first blank. */
public record Label(String key, String value) {
    public Label {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    public static Label of(String key, String value) {
        return new Label(key, value);
    }
}
