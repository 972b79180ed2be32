package dev.jsing.common.fuzz;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one harness of jsing's bounded fuzz tests (shared as common's test-jar): runs a target on {@code count} inputs,
 * input {@code i} drawn from its own {@code Random(seed, i)}, each under a time limit, and fails on anything but the
 * two allowed outcomes, a result or a one-line error with a code. It prints the seed, the count, inputs per second and
 * the outcomes. JDK only (no JUnit here: a failure is an {@link AssertionError}).
 *
 * <p>Properties (Maven passes {@code -D} on to the tests): {@code jsing.fuzz.seed} (default: each test's fixed seed, so
 * CI is reproducible), {@code jsing.fuzz.count} (default: each test's CI count), {@code jsing.fuzz.scale} (multiplies
 * the default count), {@code jsing.fuzz.only} (run input {@code i} alone, as a failure message says) and {@code
 * jsing.fuzz.timeout} (seconds per input); {@code jsing.fuzz.verbose=true} prints each outcome. {@code bench/fuzz.sh} runs them all longer with a fresh seed.
 */
public final class Fuzz {
    private Fuzz() {}

    /** What one input gave: a result, or an error with its code (an exit code, an exception reason) and message. */
    public record Outcome(String code, String message) {
        /** The input gave a result. */
        public static Outcome result() {
            return new Outcome(null, null);
        }

        /** The input was refused with one line {@code message} and {@code code}. */
        public static Outcome error(Object code, String message) {
            return new Outcome(String.valueOf(code), message == null ? "" : message);
        }

        public boolean isError() {
            return code != null;
        }
    }

    /** The code under test, given the input's own random source and its index. */
    @FunctionalInterface
    public interface Target {
        Outcome run(Random random, int index) throws Exception;
    }

    /** One run's settings, from the defaults and the properties. */
    public record Settings(String name, long seed, int count, Duration perInput, int only) {
        /** {@code name}'s settings: {@code defaultSeed}, {@code defaultCount} inputs and {@code perInput} each. */
        public static Settings of(String name, long defaultSeed, int defaultCount, Duration perInput) {
            long seed = Long.getLong("jsing.fuzz.seed", defaultSeed);
            double scale = Double.parseDouble(System.getProperty("jsing.fuzz.scale", "1"));
            int count = Integer.getInteger("jsing.fuzz.count", (int) Math.max(1, Math.round(defaultCount * scale)));
            Duration limit = Duration.ofSeconds(Long.getLong("jsing.fuzz.timeout", perInput.toSeconds()));
            return new Settings(name, seed, count, limit, Integer.getInteger("jsing.fuzz.only", -1));
        }
    }

    /** What a run gave. */
    public record Report(int inputs, int results, Map<String, Integer> errorsByCode, double seconds) {
        public int errors() {
            return errorsByCode.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Input {@code index}'s random source: independent of the others, so one input reruns alone. */
    public static Random random(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Random(z ^ (z >>> 31));
    }

    /** Runs {@code target} on every input of {@code s}; throws {@link AssertionError} on the first bad outcome. */
    public static Report run(Settings s, Target target) {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + s.name());
            t.setDaemon(true);
            return t;
        });
        Map<String, Integer> errors = new TreeMap<>();
        int results = 0;
        int inputs = 0;
        long start = System.nanoTime();
        try {
            int from = s.only() >= 0 ? s.only() : 0;
            int to = s.only() >= 0 ? s.only() + 1 : s.count();
            for (int i = from; i < to; i++) {
                final int index = i;
                Future<Outcome> f = pool.submit(() -> target.run(random(s.seed(), index), index));
                Outcome o;
                try {
                    o = f.get(s.perInput().toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    throw failure(s, i, "no outcome within " + s.perInput().toSeconds() + " s (a hang)", null);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    throw failure(s, i, "neither a result nor a clean error: " + c, c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure(s, i, "interrupted", e);
                }
                if (o == null) {
                    throw failure(s, i, "the target gave no outcome", null);
                }
                if (Boolean.getBoolean("jsing.fuzz.verbose")) {
                    System.out.println("fuzz " + s.name() + " #" + i + ": "
                            + (o.isError() ? o.code() + " " + o.message() : "result"));
                }
                if (o.isError()) {
                    String m = o.message();
                    if (m.isBlank() || m.contains("\n") || m.contains("Exception") || m.contains("\tat ")) {
                        throw failure(s, i, "error " + o.code() + " is not one clean line: " + m, null);
                    }
                    errors.merge(o.code(), 1, Integer::sum);
                } else {
                    results++;
                }
                inputs++;
            }
        } finally {
            pool.shutdownNow();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        Report r = new Report(inputs, results, errors, secs);
        System.out.printf(
                java.util.Locale.ROOT,
                "fuzz %s: seed %d, %d inputs in %.1f s (%.0f inputs/s): %d results, %d one-line errors %s"
                        + " (rerun: -Djsing.fuzz.seed=%d -Djsing.fuzz.count=%d)%n",
                s.name(),
                s.seed(),
                inputs,
                secs,
                inputs / Math.max(secs, 1e-9),
                results,
                r.errors(),
                errors,
                s.seed(),
                s.count());
        return r;
    }

    private static AssertionError failure(Settings s, int index, String what, Throwable cause) {
        return new AssertionError(
                "fuzz " + s.name() + ": input " + index + ": " + what + " (reproduce: -Djsing.fuzz.seed=" + s.seed()
                        + " -Djsing.fuzz.only=" + index + ")",
                cause);
    }
}
