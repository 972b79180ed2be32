package dev.jsing.oci.registry;

/** Told about blob transfers, for progress bars. Called from the transferring thread. */
public interface TransferListener {
    /** A listener that ignores everything. */
    TransferListener NONE = new TransferListener() {};

    /** A transfer of {@code total} bytes starts, {@code already} of which were there (a resumed download). */
    default void start(String what, long total, long already) {}

    /** {@code bytes} more arrived or were sent. */
    default void progress(long bytes) {}

    /** The transfer ended (successfully or not). */
    default void end(boolean ok) {}

    /** A transient failure; the transfer is retried after {@code delayMillis}. */
    default void retrying(String what, String why, long delayMillis) {}
}
