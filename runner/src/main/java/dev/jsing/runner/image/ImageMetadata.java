package dev.jsing.runner.image;

/**
 * What the launch planner needs to know about an image's contents.
 *
 * @param passwd the image's /etc/passwd, or null
 * @param group the image's /etc/group, or null
 * @param hasSh whether /bin/sh exists
 * @param hasBash whether /bin/bash exists
 * @param runscript the run target ({@code /.singularity.d/runscript} or {@code /singularity}), or null
 * @param hasTest whether {@code /.singularity.d/test} exists
 */
public record ImageMetadata(
        String passwd, String group, boolean hasSh, boolean hasBash, String runscript, boolean hasTest) {}
