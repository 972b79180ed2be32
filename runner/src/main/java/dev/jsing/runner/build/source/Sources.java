package dev.jsing.runner.build.source;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Chooses the {@link RootfsSource} for a stage header's {@code Bootstrap:} agent. */
public final class Sources {
    private Sources() {}

    /** The source for {@code header} (lower-case keys), or an error naming the agent; {@code registry} serves docker. */
    public static RootfsSource forHeader(Map<String, String> header, LayoutFetcher registry) {
        String agent = header.getOrDefault("bootstrap", "").trim().toLowerCase(Locale.ROOT);
        String from = header.getOrDefault("from", "").trim();
        switch (agent) {
            case "scratch":
                return new ScratchSource();
            case "debootstrap":
                return new DebootstrapSource(header);
            case "localimage":
                need(agent, from);
                return new LocalImageSource(Path.of(from));
            case "oci":
                need(agent, from);
                return new OciSource(OciSource.Kind.OCI, from);
            case "oci-archive":
                need(agent, from);
                return new OciSource(OciSource.Kind.OCI_ARCHIVE, from);
            case "docker-archive":
                need(agent, from);
                return new OciSource(OciSource.Kind.DOCKER_ARCHIVE, from);
            case "":
                throw new JsingException(ExitCodes.BAD_DEFINITION, "the definition has no Bootstrap: header");
            case "docker":
                return new DockerSource(header, registry);
            case "docker-daemon":
            case "library":
            case "oras":
            case "shub":
            case "yum":
            case "dnf":
            case "zypper":
            case "arch":
            case "busybox":
            case "buildkit":
            case "dockerfile":
                throw new JsingException(
                        ExitCodes.UNAVAILABLE, "Bootstrap: " + agent + " is not supported by jsing build yet");
            default:
                throw new JsingException(ExitCodes.BAD_DEFINITION, "unknown Bootstrap: agent '" + agent + "'");
        }
    }

    private static void need(String agent, String from) {
        if (from.isEmpty()) {
            throw new JsingException(ExitCodes.BAD_DEFINITION, "Bootstrap: " + agent + " needs a From: header");
        }
    }
}
