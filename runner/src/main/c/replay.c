/* jsing-starter --replay SCRIPT NAME -- ARGS...: a launch without a JVM, from the plan a full launch left.

   bin/jsing execs this for `jsing exec|run|shell|test ...`. The entry is /dev/shm/jsing-replay-<uid>/<key> (the
   directory ours, mode 0700, not a symlink; the entry ours, not group/other accessible), key = FNV-1a 64 of NAME,
   ARGS, "", cwd and uid (each NUL-terminated), written by Java (dev.jsing.runner.launch.Replay) just before the exec
   of a full launch. It is a list of NUL-terminated tokens; every recorded input is checked against this launch
   (argv, cwd, ids, environment, file stamps and observations, installation); the payload's environment is made from
   the live one by the entry's rules, and the starter's argv from its template (session directory, inherited fds,
   per-step variables filled in). On any difference, or any error before the container is started, the full launch
   runs instead: execve("/bin/sh", SCRIPT ARGS) with JSING_NO_FAST=1, exactly as `jsing` would have run without a
   replay. JSING_FAST_TRACE=1 prints one line saying which happened (JSING_FAST_LOG=FILE appends it to FILE). Nothing here is fatal: fatal() is for the
   container, after the replay has become an ordinary starter argv. */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "starter.h"

extern char **environ;

#define MAX_ENTRY (4 << 20)
#define MAX_LIST 4096

struct strs {
   const char **v;
   size_t n;
};

static const char *script;   /* bin/jsing's $0, for the fallback */
static char **user_args;     /* ARGS */
static int n_user_args;
static bool tracing;
static char *session;        /* the session directory we created, removed on a fallback */

static void fallback(const char *why, const char *what) __attribute__((noreturn));

static void push(struct strs *l, const char *s)
{
   if (l->n % 64 == 0) {
      const char **v = realloc(l->v, (l->n + 64) * sizeof(char *));
      if (v == NULL)
         fallback("out of memory", NULL);
      l->v = v;
   }
   l->v[l->n++] = s;
}

static bool contains(const struct strs *l, const char *s)
{
   for (size_t i = 0; i < l->n; i++)
      if (!strcmp(l->v[i], s))
         return true;
   return false;
}

/* JSING_FAST_LOG=FILE: one line per launch appended to FILE ("replay KEY" or "full WHY"), for the test suite's count. */
static void log_line(const char *what, const char *a, const char *b)
{
   const char *file = getenv("JSING_FAST_LOG");
   char line[512];
   int fd, n;
   if (file == NULL || file[0] == '\0' || (fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666)) < 0)
      return;
   n = snprintf(line, sizeof(line), "%s %s%s%s\n", what, a, b ? ": " : "", b ? b : "");
   BEST_EFFORT(write(fd, line, n > 0 && (size_t)n < sizeof(line) ? (size_t)n : 0));   /* a log line, best effort */
   BEST_EFFORT(close(fd));   /* written, done with */
}

/* The full launch: bin/jsing again, with the JVM. */
static void fallback(const char *why, const char *what)
{
   char **av;
   size_t n = 0;
   if (tracing)
      fprintf(stderr, "jsing: replay: full launch: %s%s%s\n", why, what ? ": " : "", what ? what : "");
   log_line("full", why, what);
   if (session != NULL)
      rm_tree(session);
   if (setenv("JSING_NO_FAST", "1", 1) != 0)
      FATAL_ERRNO(EXIT_LAUNCH_FAILED, "cannot set JSING_NO_FAST");
   P_(av = calloc((size_t)n_user_args + 3, sizeof(char *)));
   av[n++] = "/bin/sh";
   av[n++] = (char *)script;
   for (int i = 0; i < n_user_args; i++)
      av[n++] = user_args[i];
   av[n] = NULL;
   execve("/bin/sh", av, environ);
   FATAL_ERRNO(EXIT_LAUNCH_FAILED, "cannot execute /bin/sh %s", script);
}

static uint64_t fnv(uint64_t h, const char *s)
{
   for (; *s; s++) {
      h ^= (unsigned char)*s;
      h *= 0x100000001b3ULL;
   }
   h *= 0x100000001b3ULL;   /* the terminating NUL: h ^= 0 */
   return h;
}

static bool ascii(const char *s)
{
   for (; *s; s++)
      if ((unsigned char)*s >= 0x80)
         return false;
   return true;
}

/* The value of NAME in environ, or NULL. */
static const char *env_get(const char *name)
{
   size_t len = strlen(name);
   for (char **e = environ; *e != NULL; e++)
      if (!strncmp(*e, name, len) && (*e)[len] == '=')
         return *e + len + 1;
   return NULL;
}

static char *env_name(const char *entry)
{
   return xstrndup(entry, strcspn(entry, "="));
}

static bool canonical_int(const char *v)
{
   size_t n = strlen(v);
   if (n == 0 || n > 9 || (n > 1 && v[0] == '0'))
      return false;
   for (size_t i = 0; i < n; i++)
      if (v[i] < '0' || v[i] > '9')
         return false;
   return true;
}

static bool valid_name(const char *k)
{
   if (k[0] == '\0' || (k[0] >= '0' && k[0] <= '9'))
      return false;
   for (; *k; k++)
      if (!(*k == '_' || (*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9')))
         return false;
   return true;
}

/* Open a private directory of ours (mode 0700, not a symlink) at dirfd/name; -1 if it is missing or not ours. */
static int private_dir(int dirfd, const char *name)
{
   struct stat st;
   int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
   if (fd < 0)
      return -1;
   if (fstat(fd, &st) != 0 || st.st_uid != getuid() || (st.st_mode & 077) != 0) {
      BEST_EFFORT(close(fd));   /* read-only, not ours: unused */
      return -1;
   }
   return fd;
}

/* The entry's bytes (NUL-terminated tokens), or NULL when there is none usable. */
static char *read_entry(const char *key, size_t *len)
{
   char name[64];
   struct stat st;
   int dir, fd;
   char *buf;
   size_t got = 0;
   snprintf(name, sizeof(name), "/dev/shm/jsing-replay-%d", (int)getuid());
   if ((dir = private_dir(AT_FDCWD, name)) < 0)
      return NULL;
   fd = openat(dir, key, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
   BEST_EFFORT(close(dir));   /* read-only, done with */
   if (fd < 0)
      return NULL;
   if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077) != 0
       || st.st_size <= 0 || st.st_size > MAX_ENTRY || (buf = malloc((size_t)st.st_size + 1)) == NULL) {
      BEST_EFFORT(close(fd));   /* read-only, unusable */
      return NULL;
   }
   while (got < (size_t)st.st_size) {
      ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
      if (r <= 0)
         break;
      got += (size_t)r;
   }
   BEST_EFFORT(close(fd));   /* read-only, done with */
   if (got != (size_t)st.st_size || buf[got - 1] != '\0')
      return NULL;
   buf[got] = '\0';
   *len = got;
   return buf;
}

struct cursor {
   char *p, *end;
};

static const char *next(struct cursor *c)
{
   const char *t;
   if (c->p >= c->end)
      fallback("entry", "truncated");
   t = c->p;
   c->p += strlen(c->p) + 1;
   return t;
}

static long count(struct cursor *c)
{
   const char *t = next(c);
   char *end;
   long v = strtol(t, &end, 10);
   if (*t == '\0' || *end != '\0' || v < 0 || v > MAX_LIST)
      fallback("entry", "bad count");
   return v;
}

/* "DEV INO SIZE MTIME CTIME MODE" of path as Java's Replay.stat writes them, or all "-". */
static void stamp(const char *path, char out[6][40])
{
   struct stat st;
   if (stat(path, &st) != 0) {
      for (int i = 0; i < 6; i++)
         strcpy(out[i], "-");
      return;
   }
   snprintf(out[0], 40, "%llu", (unsigned long long)st.st_dev);
   snprintf(out[1], 40, "%llu", (unsigned long long)st.st_ino);
   snprintf(out[2], 40, "%lld", (long long)st.st_size);
   snprintf(out[3], 40, "%lld.%ld", (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
   snprintf(out[4], 40, "%lld.%ld", (long long)st.st_ctim.tv_sec, (long)st.st_ctim.tv_nsec);
   snprintf(out[5], 40, "%u", (unsigned)st.st_mode);
}

static const char *kind(const char *path)
{
   struct stat st;
   if (stat(path, &st) != 0)
      return "-";
   return S_ISDIR(st.st_mode) ? "d" : S_ISREG(st.st_mode) ? "f" : "o";
}

static bool same_file(const char *a, const char *b)
{
   struct stat sa, sb;
   if (!strcmp(a, b))
      return true;
   return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int cmp_str(const void *a, const void *b)
{
   return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every inherited fd above 2 (not close-on-exec): what bin/jsing lists in JSING_INHERITED_FDS. */
static void inherited_fds(struct strs *fds)
{
   DIR *d = opendir("/proc/self/fd");
   struct dirent *e;
   if (d == NULL)
      fallback("cannot list /proc/self/fd", NULL);
   while ((e = readdir(d)) != NULL) {
      char *end;
      long fd = strtol(e->d_name, &end, 10);
      int flags;
      if (*end != '\0' || e->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
         continue;
      if ((flags = fcntl((int)fd, F_GETFD)) >= 0 && !(flags & FD_CLOEXEC))
         push(fds, xstrdup(e->d_name));
   }
   BEST_EFFORT(closedir(d));   /* read-only, done with */
}

static void write_file(const char *dir, const char *name, const char *content)
{
   char *path = cat(cat(dir, "/"), name);
   size_t len = strlen(content), done = 0;
   int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
   if (fd < 0)
      fallback("cannot write a session file", path);
   while (done < len) {
      ssize_t w = write(fd, content + done, len - done);
      if (w <= 0) {
         BEST_EFFORT(close(fd));   /* failing anyway: the fallback removes the session dir */
         fallback("cannot write a session file", path);
      }
      done += (size_t)w;
   }
   if (close(fd) != 0)
      fallback("cannot write a session file", path);
}

static void make_session(const char *tmpdir)
{
   struct timespec ts;
   unsigned n;
   char name[64];
   BEST_EFFORT(clock_gettime(CLOCK_MONOTONIC, &ts));   /* only makes the name unlikely to exist already */
   n = (unsigned)ts.tv_nsec & 0xffffffu;
   for (int i = 0; i < 100; i++) {
      snprintf(name, sizeof(name), "/jsing-session-%d-%x", (int)getpid(), n + (unsigned)i);
      session = cat(tmpdir, name);
      if (mkdir(session, 0700) == 0)
         return;
      if (errno != EEXIST) {
         session = NULL;
         fallback("cannot create a session directory in", tmpdir);
      }
   }
   session = NULL;
   fallback("cannot create a session directory in", tmpdir);
}

void replay(int argc, char **argv, int *argc_out, char ***argv_out)
{
   const char *name, *t, *tmpdir = NULL, *no_fast = getenv("JSING_NO_FAST"), *trace_v = getenv("JSING_FAST_TRACE");
   char key[17], cwd[PATH_MAX], *buf;
   size_t len;
   uint64_t h = 0xcbf29ce484222325ULL;
   struct cursor c;
   struct strs fds = {0}, recorded = {0}, ignored = {0}, live = {0}, live_vals = {0}, drop = {0}, dropp = {0};
   struct strs keep = {0}, setk = {0}, setv = {0}, genk = {0}, genv = {0}, tmpl = {0}, out_env = {0}, out = {0};
   struct strs hostnames = {0};
   bool clean = false, hostlist = false;
   char uid_s[24];

   tracing = trace_v != NULL && trace_v[0] != '\0';
   if (argc < 5 || strcmp(argv[4], "--") != 0)
      FATAL(EXIT_USAGE, "--replay SCRIPT NAME -- ARGS...");
   script = argv[2];
   name = argv[3];
   user_args = argv + 5;
   n_user_args = argc - 5;
   inherited_fds(&fds);   /* first: everything opened below is close-on-exec */
   if (no_fast != NULL && no_fast[0] != '\0')
      fallback("JSING_NO_FAST is set", NULL);
   if (getcwd(cwd, sizeof(cwd)) == NULL)
      fallback("no working directory", NULL);
   if (!ascii(cwd) || !ascii(name))
      fallback("non-ASCII working directory", NULL);
   for (char **e = environ; *e != NULL; e++) {
      char *n = env_name(*e);
      if (!ascii(*e) || strchr(*e, '=') == NULL)
         fallback("non-ASCII or malformed environment", NULL);
      for (char **f = e + 1; *f != NULL; f++)
         if (!strncmp(*f, n, strlen(n)) && (*f)[strlen(n)] == '=')
            fallback("a variable set twice", n);
   }
   h = fnv(h, name);
   for (int i = 0; i < n_user_args; i++) {
      if (!ascii(user_args[i]))
         fallback("non-ASCII argument", NULL);
      h = fnv(h, user_args[i]);
   }
   h = fnv(h, "");
   h = fnv(h, cwd);
   snprintf(uid_s, sizeof(uid_s), "%d", (int)getuid());
   h = fnv(h, uid_s);
   snprintf(key, sizeof(key), "%016llx", (unsigned long long)h);
   if ((buf = read_entry(key, &len)) == NULL)
      fallback("no plan recorded for this launch", key);
   c.p = buf;
   c.end = buf + len;

   if (strcmp(next(&c), "jsing-replay-1") != 0)
      fallback("entry", "another format");
   while (strcmp(t = next(&c), "end") != 0) {
      if (!strcmp(t, "name")) {
         if (strcmp(next(&c), name) != 0)
            fallback("called by another name", NULL);
      } else if (!strcmp(t, "argv")) {
         long n = count(&c);
         if (n != n_user_args)
            fallback("hash collision", "argv");
         for (long i = 0; i < n; i++)
            if (strcmp(next(&c), user_args[i]) != 0)
               fallback("hash collision", "argv");
      } else if (!strcmp(t, "cwd")) {
         if (strcmp(next(&c), cwd) != 0)
            fallback("hash collision", "cwd");
      } else if (!strcmp(t, "ids")) {
         gid_t groups[MAX_LIST];
         int ng = getgroups(MAX_LIST, groups);
         long n;
         if (strtol(next(&c), NULL, 10) != (long)getuid() || strtol(next(&c), NULL, 10) != (long)getgid())
            fallback("another uid or gid", NULL);
         n = count(&c);
         if (ng < 0 || n != ng)
            fallback("other groups", NULL);
         for (long i = 0; i < n; i++) {
            long g = strtol(next(&c), NULL, 10);
            bool found = false;
            for (int j = 0; j < ng; j++)
               found |= (long)groups[j] == g;
            if (!found)
               fallback("other groups", NULL);
         }
      } else if (!strcmp(t, "env")) {
         const char *k = next(&c), *v = next(&c), *now = env_get(k);
         if (now == NULL || strcmp(now, v) != 0)
            fallback("environment variable changed", k);
         push(&recorded, k);
      } else if (!strcmp(t, "unset")) {
         const char *k = next(&c);
         if (env_get(k) != NULL)
            fallback("environment variable set", k);
         push(&recorded, k);
      } else if (!strcmp(t, "ignore")) {
         push(&ignored, next(&c));
      } else if (!strcmp(t, "live")) {
         const char *k = next(&c), *v = env_get(k);
         if (v == NULL || !canonical_int(v))
            fallback("per-step variable not a plain number", k);
         push(&live, k);
         push(&live_vals, v);
      } else if (!strcmp(t, "drop")) {
         push(&drop, next(&c));
      } else if (!strcmp(t, "dropprefix")) {
         push(&dropp, next(&c));
      } else if (!strcmp(t, "stat")) {
         const char *p = next(&c);
         char now[6][40];
         stamp(p, now);
         for (int i = 0; i < 6; i++)
            if (strcmp(next(&c), now[i]) != 0)
               fallback("file changed", p);
      } else if (!strcmp(t, "kind")) {
         const char *p = next(&c);
         if (strcmp(next(&c), kind(p)) != 0)
            fallback("file changed", p);
      } else if (!strcmp(t, "access")) {
         const char *p = next(&c);
         int mode = atoi(next(&c));
         bool ok = access(p, mode) == 0;
         if (ok != !strcmp(next(&c), "1"))
            fallback("access changed", p);
      } else if (!strcmp(t, "real")) {
         const char *p = next(&c), *r = next(&c);
         char *now = realpath(p, NULL);
         if (now == NULL ? strcmp(r, "-") != 0 : strcmp(r, now) != 0)
            fallback("symlink changed", p);
         free(now);
      } else if (!strcmp(t, "same")) {
         const char *a = next(&c), *b = next(&c);
         if (same_file(a, b) != !strcmp(next(&c), "1"))
            fallback("file changed", a);
      } else if (!strcmp(t, "clean")) {
         clean = !strcmp(next(&c), "1");
      } else if (!strcmp(t, "keep")) {
         push(&keep, next(&c));
      } else if (!strcmp(t, "set")) {
         push(&setk, next(&c));
         push(&setv, next(&c));
      } else if (!strcmp(t, "hostlist")) {
         hostlist = !strcmp(next(&c), "1");
      } else if (!strcmp(t, "tmpdir")) {
         tmpdir = next(&c);
      } else if (!strcmp(t, "gen")) {
         push(&genk, next(&c));
         push(&genv, next(&c));
      } else if (!strcmp(t, "starter")) {
         long n = count(&c);
         for (long i = 0; i < n; i++)
            push(&tmpl, next(&c));
         if ((long)tmpl.n != n)
            fallback("out of memory", NULL);
      } else {
         fallback("entry", "unknown token");
      }
   }
   if (tmpl.n == 0 || tmpdir == NULL)
      fallback("entry", "incomplete");

   /* The environment: every variable that does not pass into the container was recorded (it may feed options,
      config or overrides); those that pass are the payload's, filtered by the same rules. */
   for (char **e = environ; *e != NULL; e++) {
      char *n = env_name(*e);
      bool passes = !contains(&drop, n), passes_now;
      for (size_t i = 0; passes && i < dropp.n; i++)
         passes = strncmp(n, dropp.v[i], strlen(dropp.v[i])) != 0;
      if (!passes && !contains(&recorded, n) && !contains(&ignored, n) && !contains(&live, n))
         fallback("environment variable not recorded", n);
      passes_now = clean ? contains(&keep, n) : passes;
      if (passes_now) {
         push(&out_env, *e);
         if (valid_name(n))
            push(&hostnames, n);
      }
   }
   for (size_t i = 0; i < setk.n; i++) {
      char *kv = cat(cat(setk.v[i], "="), setv.v[i]);
      size_t kl = strlen(setk.v[i]), j;
      for (j = 0; j < out_env.n; j++)
         if (!strncmp(out_env.v[j], setk.v[i], kl) && out_env.v[j][kl] == '=')
            break;
      if (j < out_env.n)
         out_env.v[j] = kv;
      else
         push(&out_env, kv);
   }
   if (hostlist) {
      char *names = xstrdup(""), *kv;
      size_t j, kl = strlen("__JSING_HOST");
      if (hostnames.n > 0)
         qsort(hostnames.v, hostnames.n, sizeof(char *), cmp_str);
      for (size_t i = 0; i < hostnames.n; i++)
         names = i == 0 ? xstrdup(hostnames.v[i]) : cat(cat(names, " "), hostnames.v[i]);
      kv = cat("__JSING_HOST=", names);
      for (j = 0; j < out_env.n; j++)
         if (!strncmp(out_env.v[j], "__JSING_HOST", kl) && out_env.v[j][kl] == '=')
            break;
      if (j < out_env.n)
         out_env.v[j] = kv;
      else
         push(&out_env, kv);
   }
   push(&out_env, NULL);

   /* The starter's argv. */
   if (genk.n > 0) {
      make_session(tmpdir);
      for (size_t i = 0; i < genk.n; i++)
         write_file(session, genk.v[i], genv.v[i]);
   }
   for (size_t i = 0; i < tmpl.n; i++) {
      const char *a = tmpl.v[i];
      char *s = xstrdup("");
      if (!strcmp(a, "\001K\001")) {
         for (size_t j = 0; j < fds.n; j++) {
            push(&out, "--keep-fd");
            push(&out, fds.v[j]);
         }
         continue;
      }
      while (*a) {
         const char *end = a[0] == '\001' ? strchr(a + 1, '\001') : NULL;
         if (end == NULL) {
            size_t lit = strcspn(a + 1, "\001") + 1;
            s = cat(s, xstrndup(a, lit));
            a += lit;
            continue;
         }
         if (end == a + 2 && a[1] == 'S') {
            if (session == NULL)
               fallback("entry", "no session directory");
            s = cat(s, session);
         } else {
            long idx = strtol(a + 1, NULL, 10);
            if (idx < 0 || (size_t)idx >= live_vals.n)
               fallback("entry", "bad placeholder");
            s = cat(s, live_vals.v[idx]);
         }
         a = end + 1;
      }
      push(&out, s);
   }
   push(&out, NULL);
   if (tracing)
      fprintf(stderr, "jsing: replay: %s\n", key);
   log_line("replay", key, NULL);
   environ = (char **)out_env.v;
   *argc_out = (int)out.n - 1;
   *argv_out = (char **)out.v;
}
