package dev.jsing.runner.build.source;

import dev.jsing.oci.ImageConfig;
import dev.jsing.runner.build.context.BuildContext;
import java.nio.file.Path;

/** {@code Bootstrap: scratch}: an empty root; %setup and %files fill it. */
public final class ScratchSource implements RootfsSource {
    @Override
    public String describe() {
        return "scratch";
    }

    @Override
    public ImageConfig prepare(Path rootfs, BuildContext ctx) {
        return null;
    }
}
