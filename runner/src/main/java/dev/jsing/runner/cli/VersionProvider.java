package dev.jsing.runner.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: {@code jsing version Y}; called by the name {@code apptainer} or {@code singularity} (links a site
 * may install, see {@code scripts/install.sh}), {@code apptainer version X (jsing Y)} as Apptainer prints it, X being
 * the Apptainer release whose behaviour jsing follows, so that scripts which parse Apptainer's answer keep working.
 */
final class VersionProvider implements IVersionProvider {
    /** The Apptainer release whose command line and behaviour jsing follows. */
    static final String APPTAINER_VERSION = "1.5.3";

    @Override
    public String[] getVersion() {
        return new String[] {versionLine(invokedName())};
    }

    /** jsing's own version, from the jar manifest, or {@code dev} when run from classes. */
    static String jsingVersion() {
        String v = JsingCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The name the launcher was called by ({@code bin/jsing} passes it), {@code jsing} when unknown. */
    static String invokedName() {
        return System.getProperty("jsing.name", "jsing");
    }

    /** Whether {@code name} is one of Apptainer's. */
    static boolean asApptainer(String name) {
        return name.equals("apptainer") || name.equals("singularity");
    }

    /** The {@code --version} line for a launcher called {@code name}. */
    static String versionLine(String name) {
        return asApptainer(name)
                ? "apptainer version " + APPTAINER_VERSION + " (jsing " + jsingVersion() + ")"
                : "jsing version " + jsingVersion();
    }

    /** What {@code version} prints: the bare version, as Apptainer's {@code version} command does. */
    static String bareVersion(String name) {
        return asApptainer(name) ? APPTAINER_VERSION : jsingVersion();
    }
}
