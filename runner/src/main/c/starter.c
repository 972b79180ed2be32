/* jsing-starter: argv -> struct plan, main, and the exec of the payload. See README.md for the contract. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "starter.h"

extern char **environ;

uid_t caller_uid;
gid_t caller_gid;

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static long long number(const char *opt, const char *s, long long min)
{
   char *end;
   long long v;
   errno = 0;
   v = strtoll(s, &end, 10);
   if (errno != 0 || *s == '\0' || *end != '\0' || v < min)
      FATAL(EXIT_USAGE, "%s: bad number '%s'", opt, s);
   return v;
}

static const char *abs_path(const char *opt, const char *s)
{
   if (s[0] != '/')
      FATAL(EXIT_USAGE, "%s: path must be absolute: '%s'", opt, s);
   return s;
}

static struct layer *add_layer(struct plan *p, const char *opt, const char *kind, const char *src, const char *off)
{
   struct layer *l;
   P_(p->layers = realloc(p->layers, (p->n_layers + 1) * sizeof(struct layer)));
   l = &p->layers[p->n_layers++];
   memset(l, 0, sizeof(*l));
   if (!strcmp(kind, "dir"))
      l->kind = L_DIR;
   else if (!strcmp(kind, "squashfs"))
      l->kind = L_SQUASHFS;
   else if (!strcmp(kind, "ext3"))
      l->kind = L_EXT3;
   else
      FATAL(EXIT_USAGE, "%s: dir, squashfs or ext3, not '%s'", opt, kind);
   l->src = abs_path(opt, src);
   l->offset = number(opt, off, 0);
   l->fuse_fd = l->release = l->lock_fd = -1;
   return l;
}

static struct mnt *add_mount(struct plan *p, enum mount_kind kind)
{
   P_(p->mounts = realloc(p->mounts, (p->n_mounts + 1) * sizeof(struct mnt)));
   memset(&p->mounts[p->n_mounts], 0, sizeof(struct mnt));
   p->mounts[p->n_mounts].kind = kind;
   return &p->mounts[p->n_mounts++];
}

/* Parse argv into *p. Usage errors are exit 64: the Java side builds this argv, so they are bugs there. */
static void parse(int argc, char **argv, struct plan *p)
{
   int i = 1;
   const char *image[2] = { NULL, NULL };
   memset(p, 0, sizeof(*p));
   p->umask = -1;
   p->ready_fd = p->log_out = p->log_err = -1;
#define ARGS(n) do { if (i + (n) >= argc) FATAL(EXIT_USAGE, "%s needs %d argument(s)", a, (n)); } while (0)
   for (; i < argc; i++) {
      const char *a = argv[i];
      struct mnt *m;
      if (!strcmp(a, "--")) {
         i++;
         break;
      } else if (!strcmp(a, "--squashfs")) {
         ARGS(2);
         p->sqfs_file = abs_path(a, argv[++i]);
         p->sqfs_offset = number(a, argv[++i], 0);
      } else if (!strcmp(a, "--squashfuse")) {
         ARGS(1);
         p->squashfuse = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--sandbox")) {
         ARGS(1);
         p->sandbox = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--writable")) {
         p->writable = true;
      } else if (!strcmp(a, "--writable-tmpfs")) {
         ARGS(1);
         p->wtmpfs_mb = number(a, argv[++i], 1);
      } else if (!strcmp(a, "--overlay")) {
         ARGS(1);
         p->overlay = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--layer")) {
         ARGS(3);
         add_layer(p, a, argv[i + 1], argv[i + 2], argv[i + 3]);
         i += 3;
      } else if (!strcmp(a, "--overlay-image")) {
         ARGS(2);
         if (image[0] != NULL)
            FATAL(EXIT_USAGE, "--overlay-image may be given once");
         image[0] = argv[++i];
         image[1] = argv[++i];
      } else if (!strcmp(a, "--fuse2fs")) {
         ARGS(1);
         p->fuse2fs = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--fuse-overlayfs")) {
         ARGS(1);
         p->fuse_overlayfs = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--fakeroot")) {
         p->fakeroot = true;
      } else if (!strcmp(a, "--subids")) {
         ARGS(4);
         p->subids = true;
         for (int k = 0; k < 4; k++)
            p->subid[k] = (unsigned long)number(a, argv[++i], 1);
      } else if (!strcmp(a, "--bind")) {
         ARGS(3);
         m = add_mount(p, M_BIND);
         m->src = abs_path(a, argv[++i]);
         m->dst = abs_path(a, argv[++i]);
         i++;
         if (strcmp(argv[i], "ro") && strcmp(argv[i], "rw"))
            FATAL(EXIT_USAGE, "--bind: mode must be ro or rw, not '%s'", argv[i]);
         m->ro = !strcmp(argv[i], "ro");
      } else if (!strcmp(a, "--file")) {
         ARGS(2);
         m = add_mount(p, M_FILE);
         m->src = abs_path(a, argv[++i]);
         m->dst = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--dev-bind")) {
         ARGS(2);
         m = add_mount(p, M_DEV_BIND);
         m->src = abs_path(a, argv[++i]);
         m->dst = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--hook")) {
         struct hook *h;
         long n;
         ARGS(4);
         P_(p->hooks = realloc(p->hooks, (p->n_hooks + 1) * sizeof(struct hook)));
         h = &p->hooks[p->n_hooks++];
         i++;
         if (!strcmp(argv[i], "create"))
            h->when = HOOK_CREATE;
         else if (!strcmp(argv[i], "create-rootfs"))
            h->when = HOOK_CREATE_ROOTFS;
         else if (!strcmp(argv[i], "start"))
            h->when = HOOK_START;
         else
            FATAL(EXIT_USAGE, "--hook: create, create-rootfs or start, not '%s'", argv[i]);
         h->timeout_s = (long)number(a, argv[++i], 0);
         h->path = abs_path(a, argv[++i]);
         n = (long)number(a, argv[++i], 1);
         if (n >= argc)
            FATAL(EXIT_USAGE, "--hook: bad argument count %ld", n);
         ARGS((int)n + 1);
         P_(h->argv = calloc((size_t)n + 1, sizeof(char *)));
         for (long k = 0; k < n; k++)
            h->argv[k] = argv[++i];
         n = (long)number(a, argv[++i], 0);
         if (n >= argc)
            FATAL(EXIT_USAGE, "--hook: bad environment count %ld", n);
         ARGS((int)n);
         P_(h->envp = calloc((size_t)n + 1, sizeof(char *)));
         for (long k = 0; k < n; k++)
            h->envp[k] = argv[++i];
      } else if (!strcmp(a, "--tmpfs")) {
         ARGS(2);
         m = add_mount(p, M_TMPFS);
         m->dst = abs_path(a, argv[++i]);
         m->size_mb = number(a, argv[++i], 1);
      } else if (!strcmp(a, "--proc")) {
         ARGS(1);
         i++;
         if (strcmp(argv[i], "host") && strcmp(argv[i], "new"))
            FATAL(EXIT_USAGE, "--proc: host or new, not '%s'", argv[i]);
         add_mount(p, strcmp(argv[i], "host") ? M_PROC_NEW : M_PROC_HOST)->dst = "/proc";
      } else if (!strcmp(a, "--sys")) {
         add_mount(p, M_SYS)->dst = "/sys";
      } else if (!strcmp(a, "--dev")) {
         ARGS(1);
         i++;
         if (strcmp(argv[i], "host") && strcmp(argv[i], "minimal"))
            FATAL(EXIT_USAGE, "--dev: host or minimal, not '%s'", argv[i]);
         add_mount(p, strcmp(argv[i], "host") ? M_DEV_MINIMAL : M_DEV_HOST)->dst = "/dev";
      } else if (!strcmp(a, "--pid")) {
         p->pid_ns = true;
      } else if (!strcmp(a, "--ipc")) {
         p->ipc_ns = true;
      } else if (!strcmp(a, "--uts")) {
         ARGS(1);
         p->hostname = argv[++i];
      } else if (!strcmp(a, "--net")) {
         p->net_ns = true;
      } else if (!strcmp(a, "--slirp")) {
         ARGS(1);
         p->slirp = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--portmap")) {
         struct portmap *m;
         ARGS(3);
         P_(p->portmaps = realloc(p->portmaps, (p->n_portmaps + 1) * sizeof(*p->portmaps)));
         m = &p->portmaps[p->n_portmaps++];
         m->host_port = (int)number(a, argv[++i], 1);
         m->container_port = (int)number(a, argv[++i], 1);
         m->proto = argv[++i];
         if (m->host_port > 65535 || m->container_port > 65535 || (strcmp(m->proto, "tcp") && strcmp(m->proto, "udp")))
            FATAL(EXIT_USAGE, "--portmap: ports 1..65535 and tcp or udp, not %d %d %s", m->host_port,
                  m->container_port, m->proto);
      } else if (!strcmp(a, "--cgroup")) {
         ARGS(1);
         P_(p->cgroups = realloc(p->cgroups, (p->n_cgroups + 1) * sizeof(*p->cgroups)));
         p->cgroups[p->n_cgroups++] = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--cwd")) {
         ARGS(1);
         p->cwd = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--cwd-required")) {
         p->cwd_required = true;
      } else if (!strcmp(a, "--keep-fd")) {
         ARGS(1);
         P_(p->keep_fds = realloc(p->keep_fds, (p->n_keep_fds + 1) * sizeof(int)));
         p->keep_fds[p->n_keep_fds++] = (int)number(a, argv[++i], 3);
      } else if (!strcmp(a, "--remove-before-exec")) {
         ARGS(1);
         p->remove_before_exec = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--remove-after-exit")) {
         ARGS(1);
         p->remove_after_exit = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--join")) {
         ARGS(3);
         p->join_key = argv[++i];
         p->join_peers = (int)number(a, argv[++i], 1);
         p->join_rank = (int)number(a, argv[++i], 0);
      } else if (!strcmp(a, "--umask")) {
         char *end;
         ARGS(1);
         errno = 0;
         p->umask = (int)strtol(argv[++i], &end, 8);
         if (errno != 0 || argv[i][0] == '\0' || *end != '\0' || p->umask < 0 || p->umask > 0777)
            FATAL(EXIT_USAGE, "--umask: bad octal mode '%s'", argv[i]);
      } else if (!strcmp(a, "--no-init")) {
         p->no_init = true;
      } else if (!strcmp(a, "--instance")) {
         ARGS(2);
         p->instance = true;
         p->log_out_path = abs_path(a, argv[++i]);
         p->log_err_path = abs_path(a, argv[++i]);
      } else if (!strcmp(a, "--enter")) {
         ARGS(2);
         p->enter_pid = (pid_t)number(a, argv[++i], 1);
         p->enter_start = (unsigned long long)number(a, argv[++i], 1);
      } else if (!strcmp(a, "--debug")) {
         debug = true;
      } else {
         FATAL(EXIT_USAGE, "unknown starter option '%s'", a);
      }
   }
#undef ARGS
   if (i > argc || (i == argc && !(p->instance && i > 1 && !strcmp(argv[i - 1], "--"))))
      FATAL(EXIT_USAGE, "no command given after --");
   p->argv = &argv[i];
   if (p->enter_pid != 0) {
      if (p->sqfs_file || p->sandbox || p->n_mounts || p->pid_ns || p->instance || p->join_key || p->overlay
          || p->wtmpfs_mb || p->fakeroot || p->remove_after_exit || p->remove_before_exec)
         FATAL(EXIT_USAGE, "--enter takes no container options (the instance has them)");
      return;
   }
   if (p->instance && (!p->pid_ns || p->no_init || p->join_key))
      FATAL(EXIT_USAGE, "--instance needs --pid, without --no-init or --join");
   if (!p->sqfs_file == !p->sandbox)
      FATAL(EXIT_USAGE, "exactly one of --squashfs and --sandbox is required");
   if (p->sqfs_file && !p->squashfuse)
      FATAL(EXIT_USAGE, "--squashfs needs --squashfuse");
   if (p->writable && (!p->sandbox || p->wtmpfs_mb || p->overlay))
      FATAL(EXIT_USAGE, "--writable needs --sandbox, without --writable-tmpfs or --overlay");
   if (p->wtmpfs_mb && p->overlay)
      FATAL(EXIT_USAGE, "--writable-tmpfs and --overlay are exclusive");
   if (image[0] != NULL)
      add_layer(p, "--overlay-image", "ext3", image[0], image[1])->rw = true;   /* on top of every --layer */
   if (image[0] != NULL && (p->writable || p->wtmpfs_mb || p->overlay))
      FATAL(EXIT_USAGE, "--overlay-image excludes --writable, --writable-tmpfs and --overlay");
   if (p->n_layers > 0 && p->writable)
      FATAL(EXIT_USAGE, "--layer excludes --writable");
   for (size_t k = 0; k < p->n_layers; k++) {
      if (p->layers[k].kind == L_EXT3)
         p->fovl = true;
      if (p->layers[k].kind == L_SQUASHFS && !p->squashfuse)
         FATAL(EXIT_USAGE, "--layer squashfs needs --squashfuse");
   }
   if (p->fovl && (!p->fuse2fs || !p->fuse_overlayfs))
      FATAL(EXIT_USAGE, "an ext3 layer needs --fuse2fs and --fuse-overlayfs");
   if (p->subids && !p->fakeroot)
      FATAL(EXIT_USAGE, "--subids needs --fakeroot");
   if (p->join_key && (p->pid_ns || p->ipc_ns || p->hostname || p->remove_after_exit || p->net_ns || p->n_cgroups))
      FATAL(EXIT_USAGE, "--join excludes --pid, --ipc, --uts, --net, --cgroup and --remove-after-exit");
   if ((p->slirp && !p->net_ns) || (p->n_portmaps && !p->slirp))
      FATAL(EXIT_USAGE, "--slirp needs --net, --portmap needs --slirp");
}

/* execve, and for a file the kernel cannot execute (a script without #!), /bin/sh FILE ARGS as shells do. */
static void try_exec(const char *path, char **argv)
{
   if (execve(path, argv, environ) != 0 && errno == ENOEXEC) {   /* execve returns only on failure */
      size_t n = 0;
      char **sh;
      while (argv[n] != NULL)
         n++;
      P_(sh = calloc(n + 2, sizeof(char *)));
      sh[0] = "/bin/sh";
      sh[1] = (char *)path;
      memcpy(&sh[2], &argv[1], n * sizeof(char *));
      if (execve("/bin/sh", sh, environ) != 0)
         errno = EACCES;
   }
}

/* execvp semantics with the PATH of the payload's environment. Never returns. */
void exec_payload(char **argv)
{
   const char *cmd = argv[0];
   int err = ENOENT;
   if (strchr(cmd, '/') != NULL) {
      try_exec(cmd, argv);
      err = errno;
   } else if (cmd[0] != '\0') {
      const char *path = getenv("PATH");
      char *dirs, *dir, *save = NULL;
      dirs = xstrdup(path != NULL ? path : DEFAULT_PATH);
      for (dir = strtok_r(dirs, ":", &save); dir != NULL; dir = strtok_r(NULL, ":", &save)) {
         char *full = cat(cat(dir, "/"), cmd);
         try_exec(full, argv);
         if (errno == EACCES)
            err = EACCES;
         else if (errno != ENOENT && errno != ENOTDIR) {
            err = errno;
            break;
         }
      }
   }
   if (err == ENOENT || err == ENOTDIR) {
      fprintf(stderr, "jsing: error: %s: command not found in container\n", cmd);
      exit(EXIT_CMD_NOT_FOUND);
   }
   if (err == EACCES)
      fprintf(stderr, "jsing: error: %s: permission denied in container\n", cmd);
   else
      fprintf(stderr, "jsing: error: %s: cannot execute in container: %s\n", cmd, strerror(err));
   exit(EXIT_NOT_EXECUTABLE);
}

/* --umask: the payload's umask (umask(2) cannot fail, so there is nothing to check). */
static void payload_umask(const struct plan *p)
{
   if (p->umask >= 0)
      (void)umask((mode_t)p->umask);
}

void enter_cwd(const struct plan *p)
{
   const char *home = getenv("HOME");
   if (p->cwd == NULL || chdir(p->cwd) == 0)
      return;
   if (p->cwd_required)
      FATAL_ERRNO(EXIT_LAUNCH_FAILED, "cannot change to working directory %s", p->cwd);
   if (home != NULL && chdir(home) == 0) {
      warn("cannot change to %s: %s; using %s", p->cwd, strerror(errno), home);
      return;
   }
   warn("cannot change to %s; using /", p->cwd);
   Z_(chdir("/"));
}

/* The generated files (passwd, group) of --remove-before-exec DIR: opened at once, then DIR is removed; each is
   copied onto the session tmpfs when the container is built (mounts.c). A kill -9 at any later point of the setup
   then leaves nothing behind (the removal used to wait until the container was built). */
static void session_files_take(struct plan *p)
{
   size_t n = strlen(p->remove_before_exec);
   for (size_t i = 0; i < p->n_mounts; i++) {
      struct mnt *m = &p->mounts[i];
      if (m->kind != M_FILE || strncmp(m->src, p->remove_before_exec, n) || m->src[n] != '/')
         continue;
      Nx(EXIT_NOT_FOUND, m->fd = open(m->src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), "file source %s", m->src);
      m->has_fd = true;
   }
   rm_tree(p->remove_before_exec);
   p->remove_before_exec = NULL;
   fatal_cleanup_dir = NULL;
}

int main(int argc, char **argv)
{
   struct plan p;
   int fuse_fd = -1, fuse_release = -1, watch_release = -1, fovl_fd = -1, fovl_release = -1, ns_fd = -1;
   int net_go = -1, net_ready = -1, status_fd = -1;
   enum join_role join = JOIN_NONE;

   fusermount_standin(argc, argv);   /* layers.c: returns unless run by fuse2fs as its fusermount */
   fatal_owner_set();   /* before any fork: helpers' fatal() must not clean up after us */
   privs_verify_invoking();
   if (argc >= 2 && !strcmp(argv[1], "--replay"))
      replay(argc, argv, &argc, &argv);   /* replay.c: a plan's argv and environ, or (not returning) the JVM */
   signals_unblock();
   if (argc == 2 && !strcmp(argv[1], "--check"))
      return check_all();
   parse(argc, argv, &p);
   fatal_cleanup_dir = p.remove_before_exec;
   caller_uid = getuid();
   caller_gid = getgid();
   D_("uid %d gid %d, payload %s", (int)caller_uid, (int)caller_gid, p.argv[0] ? p.argv[0] : "(none)");

   fds_close_except(p.keep_fds, p.n_keep_fds);
   if (p.enter_pid != 0)
      instance_enter(&p);   /* init.c: into a running instance; never returns */
   if (p.remove_before_exec != NULL)
      session_files_take(&p);
   if (p.sqfs_file != NULL) {
      Zx(EXIT_NOT_FOUND, access(p.sqfs_file, R_OK), "cannot read image %s", p.sqfs_file);
      Zx(EXIT_UNAVAILABLE, access(p.squashfuse, X_OK), "cannot run %s", p.squashfuse);
   } else {
      struct stat st;
      Zx(EXIT_NOT_FOUND, stat(p.sandbox, &st), "cannot use sandbox %s", p.sandbox);
      Tx(EXIT_NOT_FOUND, S_ISDIR(st.st_mode), "sandbox %s is not a directory", p.sandbox);
   }

   for (size_t i = 0; i < p.n_layers; i++) {
      struct layer *l = &p.layers[i];
      if (l->kind == L_EXT3)
         l->lock_fd = layer_lock(l->src, l->rw);   /* one writer, or readers (layers.c) */
      else
         Zx(EXIT_NOT_FOUND, access(l->src, R_OK), "cannot read overlay %s", l->src);
   }
   if (p.fovl)
      Zx(EXIT_UNAVAILABLE, access(p.fuse2fs, X_OK) || access(p.fuse_overlayfs, X_OK), "cannot run %s and %s",
         p.fuse2fs, p.fuse_overlayfs);
   if (p.instance)
      instance_detach(&p);   /* init.c: from here on, the detached instance; the caller waits until it is up */
   if (p.join_key != NULL && (join = join_begin(&p)) == JOIN_JOINED) {   /* join.c: into the node's container */
      enter_cwd(&p);
      Z_(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
      payload_umask(&p);
      exec_payload(p.argv);
   }
   if (p.n_layers > 0 && p.layers[p.n_layers - 1].rw && p.join_key == NULL) {
      /* layers.c: the parent stays outside as a monitor, so that jsing returns once the image is closed; the child
         goes on as the starter (every helper below is its, and it builds the container) */
      pid_t child = layer_writer_fork(&ns_fd);
      if (child > 0)
         layer_writer_monitor(&p, child, ns_fd);
      fatal_owner_set();
   }
   if (p.n_cgroups > 0)
      cgroup_watcher_start(&p);   /* before the move: it stays outside, and removes the cgroups whatever happens */
   if (p.remove_after_exit != NULL)
      watcher_start(p.remove_after_exit, &watch_release);
   if (p.slirp != NULL)
      net_helper_start(&p, &net_go, &net_ready);   /* in the host's namespaces, outside the cgroups (net.c) */
   userns_enter(&p);
   if (p.sqfs_file != NULL) {
      /* The kernel wants the /dev/fuse fd opened in the mounting user namespace; the daemon must be outside the
         container's mount namespace (see fuse.c). */
      fuse_fd = fuse_open();
      fuse_daemon_start(&p, fuse_fd, &fuse_release);
   }
   for (size_t i = 0; i < p.n_layers; i++) {   /* each image layer's daemon, also outside (layers.c) */
      struct layer *l = &p.layers[i];
      if (l->kind == L_DIR)
         continue;
      l->fuse_fd = fuse_open();
      if (l->kind == L_SQUASHFS)
         fuse_squashfuse_start(p.squashfuse, l->src, l->offset, l->fuse_fd, &l->release);
      else
         layer_ext3_start(&p, l);
   }
   if (p.fovl) {   /* it joins the mount namespace of this process once the layers are mounted */
      fovl_fd = fuse_open();
      layer_fovl_start(&p, fovl_fd, &fovl_release);
   }
   cgroup_enter(&p);   /* every process forked from here on (PID 1, the payload) is limited */
   mountns_enter(&p);
   if (ns_fd >= 0) {   /* the writer's monitor waits for this mount namespace to be gone (layers.c) */
      struct stat st;
      unsigned long long ns[2];
      Z_(stat("/proc/self/ns/mnt", &st));
      ns[0] = st.st_dev;
      ns[1] = st.st_ino;
      T_(write(ns_fd, ns, sizeof(ns)) == (ssize_t)sizeof(ns));
      Z_(close(ns_fd));
   }
   if (p.net_ns)
      net_enter(&p, net_go, net_ready);
   if (watch_release >= 0)
   {
      T_(write(watch_release, "x", 1) == 1);   /* the watcher now reads our mount namespace */
      Z_(close(watch_release));
   }
   if (p.pid_ns) {
      pid_t child = pidns_enter(&status_fd);
      if (child == 0)
         fatal_owner_set();   /* the child builds the container, so it removes the generated files on failure */
      if (child > 0) {
         fatal_cleanup_dir = NULL;   /* the child's now; the monitor never removes it */
         if (fuse_fd >= 0)
            Z_(close(fuse_fd));
         if (fuse_release >= 0)
            Z_(close(fuse_release));
         for (size_t i = 0; i < p.n_layers; i++)
            if (p.layers[i].fuse_fd >= 0)
               Z_(close(p.layers[i].fuse_fd) || close(p.layers[i].release));
         if (fovl_fd >= 0)
            Z_(close(fovl_fd) || close(fovl_release));
         if (p.instance)
            instance_monitor_ready(&p, child);
         monitor(child, p.no_init ? -1 : status_fd);
      }
      if (p.no_init)
         Z_(close(status_fd));
   }
   container_build(&p, fuse_fd, fuse_release, fovl_fd, fovl_release);
   if (p.hostname != NULL)
      Z_(sethostname(p.hostname, strlen(p.hostname)));
   enter_cwd(&p);
   hooks_run(&p, false, NULL);   /* startContainer hooks, inside the container */
   Z_(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
   if (join == JOIN_LEADER)
      join_publish(&p);   /* the holder keeps this container for the other ranks */
   payload_umask(&p);
   if (p.pid_ns && !p.no_init)
      init_run(&p, status_fd);   /* init.c: PID 1 forks the payload, forwards signals, reaps; never returns */
   D_("exec %s", p.argv[0]);
   exec_payload(p.argv);
}
