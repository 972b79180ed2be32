package dev.jsing.oci.registry;

/** The media types jsing reads and writes. */
public final class MediaTypes {
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** Apptainer/SingularityCE's SIF-as-OCI-artifact config (always the empty JSON object). */
    public static final String SIF_CONFIG = "application/vnd.sylabs.sif.config.v1+json";
    /** Older Apptainer releases wrote the config type without {@code +json}. */
    public static final String SIF_CONFIG_LEGACY = "application/vnd.sylabs.sif.config.v1";
    /** The single layer of a SIF artifact: the SIF file itself. */
    public static final String SIF_LAYER = "application/vnd.sylabs.sif.layer.v1.sif";

    private MediaTypes() {}

    /** Whether {@code mt} names an index (OCI image index or Docker manifest list). */
    public static boolean isIndex(String mt) {
        return OCI_INDEX.equals(mt) || DOCKER_LIST.equals(mt);
    }
}
