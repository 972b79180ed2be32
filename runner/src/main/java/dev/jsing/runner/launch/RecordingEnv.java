package dev.jsing.runner.launch;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The caller's environment as a launch reads it, recording each name looked up ({@link #get}, {@link #containsKey},
 * {@link #getOrDefault}; present or not) for {@link Replay}. Iterating it (anything that sees every variable) marks it
 * {@link #iterated()}, which makes the launch unreplayable; the one planned exception is {@link
 * ContainerEnvironment}, whose dependence on the whole environment is the rule the starter applies live, and which
 * iterates {@link #unrecorded(Map)}. Read-only.
 */
public final class RecordingEnv extends AbstractMap<String, String> {
    private final Map<String, String> raw;
    private final Set<String> read;
    private final boolean[] iterated;

    private RecordingEnv(Map<String, String> raw, Set<String> read, boolean[] iterated) {
        this.raw = raw;
        this.read = read;
        this.iterated = iterated;
    }

    /** A recording view of {@code raw}. */
    public static RecordingEnv of(Map<String, String> raw) {
        return new RecordingEnv(Collections.unmodifiableMap(raw), new LinkedHashSet<>(), new boolean[1]);
    }

    /** This environment with some values replaced, recording into the same set (the template run of a replay). */
    RecordingEnv withValues(Map<String, String> replaced) {
        Map<String, String> m = new LinkedHashMap<>(raw);
        m.putAll(replaced);
        return new RecordingEnv(Collections.unmodifiableMap(m), read, iterated);
    }

    /** The map behind {@code env} without recording: for {@link ContainerEnvironment} only. */
    static Map<String, String> unrecorded(Map<String, String> env) {
        return env instanceof RecordingEnv ? ((RecordingEnv) env).raw : env;
    }

    /** The names looked up so far, in order. */
    Set<String> read() {
        return Collections.unmodifiableSet(read);
    }

    /** Whether something iterated the whole environment. */
    boolean iterated() {
        return iterated[0];
    }

    /** The unrecorded environment. */
    Map<String, String> raw() {
        return raw;
    }

    @Override
    public String get(Object key) {
        if (key instanceof String) {
            read.add((String) key);
        }
        return raw.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        if (key instanceof String) {
            read.add((String) key);
        }
        return raw.containsKey(key);
    }

    @Override
    public String getOrDefault(Object key, String def) {
        String v = get(key);
        return v != null ? v : def;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        iterated[0] = true;
        return raw.entrySet();
    }

    @Override
    public int size() {
        iterated[0] = true;
        return raw.size();
    }
}
