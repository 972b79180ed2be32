package dev.jsing.sif;

import java.time.Instant;
import java.util.Optional;

/**
 * How {@link SifImage#delete} removes an object, as the reference's {@code DeleteObject} options: {@code zero}
 * overwrites the object's bytes with zeros ({@code OptDeleteZero}); {@code compact} truncates the file at the start of
 * the (padded) object, which must be the last one, and shrinks the header's data size by as much
 * ({@code OptDeleteCompact}). {@code time} is the modification time to record (default: now, or the zero time for a
 * deterministic image). {@link #defaults()} (neither zero nor compact) is what {@code siftool del} does: siftool 2.8.3
 * calls {@code DeleteObject(id)} with no options.
 */
public record DeleteOptions(boolean zero, boolean compact, Optional<Instant> time) {
    public static DeleteOptions defaults() {
        return new DeleteOptions(false, false, Optional.empty());
    }

    public DeleteOptions withZero(boolean z) {
        return new DeleteOptions(z, compact, time);
    }

    public DeleteOptions withCompact(boolean c) {
        return new DeleteOptions(zero, c, time);
    }

    public DeleteOptions withTime(Instant t) {
        return new DeleteOptions(zero, compact, Optional.of(t));
    }
}
