package dev.jsing.runner.build;

import dev.jsing.common.fs.Trees;
import dev.jsing.common.proc.Processes;
import dev.jsing.deffile.Definition;
import dev.jsing.deffile.DefinitionException;
import dev.jsing.deffile.DefinitionJson;
import dev.jsing.deffile.DefinitionLoader;
import dev.jsing.deffile.FileEntry;
import dev.jsing.deffile.LoadedDefinition;
import dev.jsing.deffile.Section;
import dev.jsing.deffile.SectionKind;
import dev.jsing.deffile.Stage;
import dev.jsing.deffile.TemplateArgs;
import dev.jsing.oci.ImageConfig;
import dev.jsing.runner.build.context.BuildContext;
import dev.jsing.runner.build.context.BuildOptions;
import dev.jsing.runner.build.context.Privilege;
import dev.jsing.runner.build.context.Progress;
import dev.jsing.runner.build.source.LayoutFetcher;
import dev.jsing.runner.build.source.RootfsSource;
import dev.jsing.runner.build.source.Sources;
import dev.jsing.runner.config.JsingDirs;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.Arch;
import dev.jsing.sif.ImageFormat;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code jsing build}: turns a definition file (or an image: sandbox, SIF, squashfs, OCI/Docker archive) into a SIF or
 * a sandbox directory, in Apptainer's order for each stage: bootstrap, apps, {@code %files from}, %setup, host
 * %files, %post, metadata, and %test for the result. Only the last stage is assembled. The output appears at the
 * destination only when everything succeeded (written beside it and renamed); the private temporary directory is
 * removed on every path, including files owned by subordinate ids (removed from inside the user namespace).
 */
public final class Builder {
    private final BuildOptions o;
    private final PrintWriter out;
    private final Progress progress;
    private final LayoutFetcher registry;

    /** A builder whose {@code Bootstrap: docker} stages fetch their image through {@code registry}. */
    public Builder(BuildOptions options, PrintWriter out, PrintWriter err, LayoutFetcher registry) {
        this.o = options;
        this.out = out;
        this.progress = new Progress(err, options.quiet());
        this.registry = registry;
    }

    /** {@code --dry-run --json}: the parsed (templated) definition as the parser's JSON. */
    public int dryRunJson() {
        LoadedDefinition d = load();
        d.warnings().forEach(progress::warn);
        out.println(DefinitionJson.render(d.definition()));
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * {@code --dry-run} without {@code --json}: a short summary of the parsed (templated) definition, one line per
     * stage (name, bootstrap agent and its {@code From:}) and one listing its sections that are not blank.
     */
    public int dryRunSummary() {
        LoadedDefinition d = load();
        d.warnings().forEach(progress::warn);
        out.print(summary(o.spec(), d.definition()));
        out.flush();
        return ExitCodes.OK;
    }

    /** The text {@link #dryRunSummary} prints. */
    static String summary(String spec, Definition def) {
        StringBuilder b = new StringBuilder();
        List<Stage> stages = def.stages();
        b.append(spec)
                .append(": ")
                .append(stages.size())
                .append(stages.size() == 1 ? " stage" : " stages")
                .append('\n');
        for (int i = 0; i < stages.size(); i++) {
            Stage st = stages.get(i);
            b.append("stage ").append(i + 1);
            if (st.name() != null && !st.name().isEmpty()) {
                b.append(" '").append(st.name()).append('\'');
            }
            b.append(": bootstrap ").append(st.bootstrap() == null ? "(none)" : st.bootstrap());
            String from = st.header().get("from");
            if (from != null && !from.isEmpty()) {
                b.append(", from ").append(from);
            }
            b.append('\n');
            List<String> sections = new ArrayList<>();
            for (Section sec : st.sections()) {
                if (!sec.body().isBlank() || !sec.argsWithoutComment().isEmpty()) {
                    sections.add("%" + sec.kind().keyword() + (sec.app() != null ? " " + sec.app() : ""));
                }
            }
            b.append("  sections: ")
                    .append(sections.isEmpty() ? "(none)" : String.join(", ", sections))
                    .append('\n');
        }
        return b.toString();
    }

    /** Runs the build; returns 0 or throws a {@link JsingException} with the exit code. */
    public int build() {
        Path dest = o.dest().toAbsolutePath().normalize();
        Packer.checkDestination(dest, o.force(), o.sandbox());
        LoadedDefinition loaded = load();
        loaded.warnings().forEach(progress::warn);
        Definition def = loaded.definition();
        Privilege priv = Privilege.detect(o.fakeroot());
        if (!priv.root()) {
            if (priv.limitation() != null) {
                progress.warn(priv.limitation());
            } else {
                progress.info("building as fakeroot: uid 0 in a user namespace with subordinate ids " + priv.subids()[0]
                        + "+" + priv.subids()[1]);
            }
        }
        Path tmp = createTmp();
        BuildContext ctx = new BuildContext(o, priv, progress, tmp);
        Path sandboxTmp = null;
        boolean ok = false;
        java.util.concurrent.atomic.AtomicReference<Path> sandboxRef =
                new java.util.concurrent.atomic.AtomicReference<>();
        // SIGINT, SIGTERM, SIGHUP (Ctrl-C, timeout, a closed terminal): stop every process of the build, then remove
        // what it made, subordinate-id files included (issue #17, fault 4; BuildInterruptIT)
        Thread interrupted = new Thread(() -> interrupted(ctx, tmp, sandboxRef.get()), "jsing-build-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            List<Stage> stages = def.stages();
            Path last = null;
            ImageConfig lastOci = null;
            for (int i = 0; i < stages.size(); i++) {
                Stage st = stages.get(i);
                boolean isLast = i == stages.size() - 1;
                String name = st.name() != null && !st.name().isEmpty() ? st.name() : String.valueOf(i + 1);
                Path rootfs;
                if (isLast && o.sandbox()) {
                    sandboxTmp = dest.resolveSibling("." + dest.getFileName() + ".jsing-build-"
                            + ProcessHandle.current().pid());
                    ctx.runAsRoot(
                            "removing " + sandboxTmp, List.of("rm", "-rf", "--", sandboxTmp.toString()), null, false);
                    sandboxRef.set(sandboxTmp);
                    Files.createDirectory(sandboxTmp);
                    rootfs = sandboxTmp;
                } else {
                    rootfs = Files.createDirectories(
                            tmp.resolve("stage-" + (i + 1)).resolve("rootfs"));
                }
                String label = "stage '" + name + "' ";
                lastOci = buildStage(ctx, def, st, rootfs, label, isLast);
                ctx.addStage(name, rootfs);
                last = rootfs;
            }
            Stage lastStage = stages.get(stages.size() - 1);
            if (!o.notest()) {
                Optional<Section> test = lastStage.section(SectionKind.TEST).filter(x -> !x.isEmpty());
                if (test.isPresent()) {
                    progress.step("%test");
                    new ScriptRunner(ctx).test(last, "%test of the built image");
                }
            }
            if (o.sandbox()) {
                progress.step("writing sandbox " + dest);
                boolean exists = Files.exists(dest, LinkOption.NOFOLLOW_LINKS);
                if (exists && o.force()) {
                    ctx.runAsRoot("removing old " + dest, List.of("rm", "-rf", "--", dest.toString()), null, false);
                } else if (exists) {
                    // another build (or anyone) made it since checkDestination: it won (issue #17, fault 6)
                    throw new JsingException(
                            ExitCodes.CANT_CREATE, dest + " already exists (use --force to overwrite)");
                }
                try {
                    // rename(2) fails on a non-empty directory or a file made meanwhile: exactly one build wins
                    Files.move(sandboxTmp, dest, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileSystemException e) {
                    if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                        throw e;
                    }
                    throw new JsingException(
                            ExitCodes.CANT_CREATE, dest + " already exists (use --force to overwrite)");
                }
                sandboxTmp = null;
                sandboxRef.set(null);
            } else {
                progress.step("mksquashfs (" + (o.comp() == null ? "gzip" : o.comp()) + ")");
                Path squash = tmp.resolve("rootfs.squashfs");
                Packer.squash(last, squash, ctx);
                progress.step("writing SIF " + dest);
                Map<String, String> json = new LinkedHashMap<>();
                json.put("inspect-metadata.json", StageMetadata.inspectJson(last, lastStage.apps()));
                if (lastOci != null) {
                    json.put("oci-config.json", lastOci.configJson());
                }
                Path sifTmp = dest.resolveSibling("." + dest.getFileName() + ".jsing-build-"
                        + ProcessHandle.current().pid());
                try {
                    Packer.sif(sifTmp, def.raw(), json, squash, o);
                    moveInto(sifTmp, dest);
                } finally {
                    Files.deleteIfExists(sifTmp);
                }
            }
            progress.end();
            progress.info("built " + dest + " in " + progress.total());
            ok = true;
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, "build failed: " + e.getMessage(), e);
        } finally {
            if (!ok) {
                progress.end();
            }
            cleanup(ctx, tmp, sandboxTmp);
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (SIGINT/SIGTERM): the hook stops the build and cleans up, and the JVM
                // exits with the signal's status; this thread must not report %post's death as the build's error
                awaitHalt(interrupted);
            }
        }
    }

    private static void awaitHalt(Thread hook) {
        while (true) {
            try {
                hook.join();
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // the halt ends this thread; nothing else may
            }
        }
    }

    /**
     * The shutdown hook of an interrupted build: kills the build's processes (%post, debootstrap, mksquashfs: all
     * descendants, in rounds until none is left, so that a fork racing the first round is caught; a process in the
     * build's user namespace is ours to signal), then removes the temporary directory and the half-built sandbox as
     * (namespaced) root. Runs only on SIGINT/SIGTERM/SIGHUP: a finished build removes its hook.
     */
    private void interrupted(BuildContext ctx, Path tmp, Path sandboxTmp) {
        for (int round = 0; round < 100; round++) {
            List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
            if (left.isEmpty()) {
                break;
            }
            left.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : left) {
                try {
                    h.onExit().get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    // not gone yet (or not our child to wait for): the next round looks again
                }
            }
        }
        progress.warn("build interrupted; removing its temporary files");
        cleanup(ctx, tmp, sandboxTmp);
    }

    private void moveInto(Path tmpFile, Path dest) throws IOException {
        try {
            if (o.force()) {
                Files.move(tmpFile, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // link + unlink: never replaces a file that appeared meanwhile
                Files.createLink(dest, tmpFile);
                Files.delete(tmpFile);
            }
        } catch (FileAlreadyExistsException e) {
            throw new JsingException(ExitCodes.CANT_CREATE, dest + " already exists (use --force to overwrite)");
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmpFile, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private ImageConfig buildStage(
            BuildContext ctx, Definition def, Stage st, Path rootfs, String label, boolean isLast) throws IOException {
        ScriptRunner scripts = new ScriptRunner(ctx);
        RootfsSource src = Sources.forHeader(st.header(), registry);
        progress.step(label + "bootstrap: " + src.describe());
        ImageConfig oci = src.prepare(rootfs, ctx);
        SingularityLayout.writeBase(rootfs);
        if (oci != null) {
            SingularityLayout.writeOci(rootfs, oci);
        }
        if (!st.apps().isEmpty()) {
            StageMetadata.writeApps(rootfs, st);
        }
        List<FileEntry> fromStages = new ArrayList<>();
        List<FileEntry> fromHost = new ArrayList<>();
        for (FileEntry f : st.files()) {
            (f.isFromHost() ? fromHost : fromStages).add(f);
        }
        if (!fromStages.isEmpty()) {
            progress.step(label + "%files from other stages (" + fromStages.size() + ")");
            FilesStep.copy(fromStages, rootfs, ctx, label + "%files from");
        }
        Optional<Section> setup = st.section(SectionKind.SETUP).filter(x -> !x.isEmpty());
        if (setup.isPresent()) {
            progress.step(label + "%setup");
            scripts.setup(setup.get(), rootfs, label + "%setup");
        }
        if (!fromHost.isEmpty()) {
            progress.step(label + "%files (" + fromHost.size() + ")");
            FilesStep.copy(fromHost, rootfs, ctx, label + "%files");
        }
        for (var app : st.apps()) {
            if (!app.files().isEmpty()) {
                progress.step(label + "%appfiles " + app.name());
                List<FileEntry> moved = new ArrayList<>();
                for (FileEntry f : app.files()) {
                    moved.add(FileEntry.fromHost(f.src(), "/scif/apps/" + app.name() + "/" + f.destination()));
                }
                FilesStep.copy(moved, rootfs, ctx, label + "%appfiles " + app.name());
            }
        }
        Optional<Section> post = st.section(SectionKind.POST).filter(x -> !x.isEmpty());
        String appInstall = StageMetadata.appInstall(st);
        if (post.isPresent() || !appInstall.isEmpty()) {
            progress.step(label + "%post");
            Section s = post.orElse(Section.of(SectionKind.POST, "", ""));
            scripts.post(s, s.body() + appInstall, rootfs, label + "%post");
        }
        progress.step(label + "metadata");
        StageMetadata.write(
                rootfs,
                st,
                def.raw(),
                o,
                StageMetadata.buildLabels(o, Arch.host().goName()));
        return oci;
    }

    private Path createTmp() {
        Path base = JsingDirs.tmpDir();
        try {
            return Files.createTempDirectory(
                    base,
                    "jsing-build-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new JsingException(
                    ExitCodes.CANT_CREATE, "cannot create a temporary directory in " + base + ": " + e.getMessage());
        }
    }

    private synchronized void cleanup(BuildContext ctx, Path tmp, Path sandboxTmp) {
        for (Path p : new Path[] {tmp, sandboxTmp}) {
            if (p == null || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Processes.Outcome r = Processes.run(
                    ctx.privilege().asRoot(List.of("rm", "-rf", "--", p.toString()), false),
                    ctx.hostEnv(),
                    (File) null,
                    false,
                    progress.err());
            if (r.exitCode() != 0 || Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Trees.deleteQuietly(p);
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                progress.warn("could not remove temporary directory " + p);
            }
        }
    }

    // ---- the build spec ----

    /** Loads the spec: a definition file, or an image turned into an implied {@code localimage}/OCI definition. */
    LoadedDefinition load() {
        String spec = o.spec();
        try {
            for (String t : List.of("oci-archive", "docker-archive", "oci")) {
                if (spec.startsWith(t + ":")) {
                    return implied(t, spec.substring(t.length() + 1));
                }
            }
            if (spec.startsWith("docker://")) {
                return implied("docker", spec.substring("docker://".length()));
            }
            if (spec.matches("^[a-z]+://.*")) {
                throw new JsingException(
                        ExitCodes.UNAVAILABLE,
                        spec + ": building from " + spec.substring(0, spec.indexOf(':'))
                                + ":// sources is not supported yet");
            }
            Path p = Path.of(spec);
            if (Files.isDirectory(p)) {
                return implied("localimage", p.toAbsolutePath().toString());
            }
            if (!Files.exists(p)) {
                throw new JsingException(ExitCodes.NOT_FOUND, spec + ": no such file or directory");
            }
            if (isImageFile(p)) {
                return implied("localimage", p.toAbsolutePath().toString());
            }
            TemplateArgs args = TemplateArgs.read(o.buildArgs(), o.buildArgFile(), o.warnUnusedBuildArgs());
            return DefinitionLoader.load(p, args);
        } catch (DefinitionException e) {
            throw new JsingException(ExitCodes.BAD_DEFINITION, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new JsingException(ExitCodes.USAGE, e.getMessage());
        } catch (NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, e.getMessage() + ": no such file or directory");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, spec + ": " + e.getMessage());
        }
    }

    private LoadedDefinition implied(String agent, String from) throws DefinitionException {
        if (!o.buildArgs().isEmpty() && !o.warnUnusedBuildArgs()) {
            throw new JsingException(
                    ExitCodes.USAGE, "--build-arg given but " + o.spec() + " is not a definition file");
        }
        String text = "Bootstrap: " + agent + "\nFrom: " + from + "\n";
        return DefinitionLoader.load(o.spec(), text, TemplateArgs.none());
    }

    private static boolean isImageFile(Path p) throws IOException {
        return ImageFormat.sniff(p).isImageFile();
    }
}
