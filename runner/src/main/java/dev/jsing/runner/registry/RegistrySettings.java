package dev.jsing.runner.registry;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to talk to registries in one command: {@code --no-https}, {@code --authfile}, {@code --arch}, quiet. A value
 * passed to the services that need it (no global state: parsing a command line changes nothing). Without flags, {@code JSING_NOHTTPS}/{@code
 * APPTAINER_NOHTTPS} (any non-empty value but 0/false) and {@code JSING_AUTHFILE} apply.
 *
 * @param noHttps plain HTTP to the registry
 * @param authFile a Docker-style auth file, or null for the user's Docker config
 * @param arch the architecture to select from an index ({@code amd64}, {@code arm64/v8}), or null for the host's
 * @param quiet no progress output
 */
public record RegistrySettings(boolean noHttps, Path authFile, String arch, boolean quiet) {
    /** Flags given on the command line, merged with the environment's defaults. */
    public static RegistrySettings of(boolean noHttps, Path authFile, String arch, boolean quiet) {
        RegistrySettings env = fromEnv(System.getenv(), quiet);
        return new RegistrySettings(
                noHttps || env.noHttps(), authFile != null ? authFile : env.authFile(), arch, quiet);
    }

    public static RegistrySettings fromEnv(Map<String, String> env, boolean quiet) {
        boolean noHttps = truthy(env.get("JSING_NOHTTPS")) || truthy(env.get("APPTAINER_NOHTTPS"));
        String af = env.get("JSING_AUTHFILE");
        return new RegistrySettings(noHttps, af == null || af.isEmpty() ? null : Path.of(af), null, quiet);
    }

    private static boolean truthy(String v) {
        return v != null && !v.isEmpty() && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    /** The OCI architecture to select: {@code --arch}, else the host's. */
    public String archOrHost() {
        return arch != null && !arch.isEmpty() ? arch : dev.jsing.common.HostArch.goName();
    }
}
