package dev.jsing.sif.integrity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every signature checked by {@link SifVerifier#verify}, grouped by the task (group or object) that selected it.
 * The image passes when no check failed.
 */
public final class VerifyReport {
    /** One group or object to verify, and the signatures found for it. */
    public record Task(String what, List<SignatureCheck> checks) {
        public Task {
            checks = List.copyOf(checks);
        }
    }

    private final List<Task> tasks;

    VerifyReport(List<Task> tasks) {
        this.tasks = List.copyOf(tasks);
    }

    public List<Task> tasks() {
        return tasks;
    }

    /** Every check, in order. */
    public List<SignatureCheck> checks() {
        List<SignatureCheck> out = new ArrayList<>();
        for (Task t : tasks) {
            out.addAll(t.checks());
        }
        return out;
    }

    public boolean ok() {
        return checks().stream().allMatch(SignatureCheck::ok);
    }

    /** The first failure, if any. */
    public Optional<IntegrityException> firstError() {
        return checks().stream()
                .map(SignatureCheck::error)
                .flatMap(Optional::stream)
                .findFirst();
    }

    /**
     * The fingerprints of the OpenPGP keys whose signatures verified in every task: a key "signed the image" only if it
     * signed each selected group (the reference's {@code AllSignedBy}, counting only valid signatures).
     */
    public Set<String> verifiedInEveryTask() {
        Set<String> all = null;
        for (Task t : tasks) {
            Set<String> here = new TreeSet<>();
            for (SignatureCheck c : t.checks()) {
                if (c.ok() && c.signer().isPresent()) {
                    here.add(c.signer().get().fingerprint());
                }
            }
            if (all == null) {
                all = here;
            } else {
                all.retainAll(here);
            }
        }
        return all == null ? Set.of() : all;
    }

    /** The fingerprints recorded by any signature descriptor, valid or not (the reference's {@code AnySignedBy}). */
    public Set<String> recordedInAnyTask() {
        Set<String> out = new TreeSet<>();
        for (SignatureCheck c : checks()) {
            if (!c.fingerprint().isEmpty()) {
                out.add(c.fingerprint());
            }
        }
        return out;
    }
}
