package dev.jsing.sif;

import java.time.Instant;
import java.util.UUID;

/**
 * How {@link SifImage#create} lays out a new image. {@link #defaults()}: a random ID, the current time, 48 descriptors
 * at offset 4096 and the launch script {@code #!/usr/bin/env run-singularity\n}; {@link #deterministic()} uses the nil
 * UUID and Go's zero time instead, so the same inputs give the same bytes.
 */
public record CreateOptions(
        String launchScript, UUID id, Instant time, int descriptorCapacity, long descriptorsOffset) {
    /** The launch line Apptainer writes, so that {@code ./image.sif} runs through {@code run-singularity}. */
    public static final String RUN_SINGULARITY = "#!/usr/bin/env run-singularity\n";

    public CreateOptions {
        if (launchScript.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= Layout.H_LAUNCH_LEN) {
            throw new IllegalArgumentException("launch script too large (at most 31 bytes)");
        }
        if (descriptorCapacity <= 0 || descriptorCapacity > Layout.MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("descriptor capacity must be 1.." + Layout.MAX_DESCRIPTORS);
        }
        if (descriptorsOffset < Layout.HEADER_SIZE) {
            throw new IllegalArgumentException("descriptors offset must be at least " + Layout.HEADER_SIZE);
        }
    }

    public static CreateOptions defaults() {
        return new CreateOptions(RUN_SINGULARITY, UUID.randomUUID(), Instant.now(), 48, 4096);
    }

    /** Nil UUID and zero time ({@link SifImage#ZERO_TIME}), otherwise as {@link #defaults()}. */
    public CreateOptions deterministic() {
        return new CreateOptions(
                launchScript, new UUID(0, 0), SifImage.ZERO_TIME, descriptorCapacity, descriptorsOffset);
    }

    public CreateOptions withLaunchScript(String script) {
        return new CreateOptions(script, id, time, descriptorCapacity, descriptorsOffset);
    }

    public CreateOptions withId(UUID newId) {
        return new CreateOptions(launchScript, newId, time, descriptorCapacity, descriptorsOffset);
    }

    public CreateOptions withTime(Instant newTime) {
        return new CreateOptions(launchScript, id, newTime, descriptorCapacity, descriptorsOffset);
    }

    public CreateOptions withDescriptorCapacity(int n) {
        return new CreateOptions(launchScript, id, time, n, descriptorsOffset);
    }
}
