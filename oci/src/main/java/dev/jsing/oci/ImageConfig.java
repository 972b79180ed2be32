package dev.jsing.oci;

import java.util.List;
import java.util.Map;

/**
 * The parts of an OCI / Docker image config that become an image's environment, runscript and labels.
 *
 * @param env {@code K=V} strings, in order
 * @param entrypoint ENTRYPOINT words (empty when unset)
 * @param cmd CMD words (empty when unset)
 * @param workingDir WorkingDir ("" when unset)
 * @param labels Labels (key order kept)
 * @param configJson the image config's {@code config} object as compact JSON (for {@code oci-config.json})
 * @param architecture the image's architecture ("amd64", ...; "" when unset)
 */
public record ImageConfig(
        List<String> env,
        List<String> entrypoint,
        List<String> cmd,
        String workingDir,
        Map<String, String> labels,
        String configJson,
        String architecture) {}
