/* jsing-starter: shared declarations. See README.md in this directory for the argv contract.

   Conventions (after Charliecloud's ch_misc.h): every call whose result matters is checked on one line by one of
   the macros below; a failed check prints one line "jsing: error: <what>: <strerror> (<file>:<line>)" and exits
   with a named code. A result that is deliberately ignored is wrapped in BEST_EFFORT(), so that no call discards
   its result silently. The starter is short-lived and never frees. */

#ifndef JSING_STARTER_H
#define JSING_STARTER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Exit codes: equal to dev.jsing.runner.error.ExitCodes. Once issued, a code is permanent. */
#define EXIT_USAGE 64
#define EXIT_BAD_IMAGE 65
#define EXIT_NOT_FOUND 66
#define EXIT_UNAVAILABLE 69
#define EXIT_LAUNCH_FAILED 71
#define EXIT_CANT_CREATE 73
#define EXIT_BAD_MOUNT 76
#define EXIT_IMAGE_BUSY 79
#define EXIT_ISOLATION_UNAVAILABLE 81
#define EXIT_NOT_EXECUTABLE 126
#define EXIT_CMD_NOT_FOUND 127

/* Fatal unless x is: zero (Z: most syscalls), true (T), not -1 (N: calls returning an fd, a pid or a count), or not
   NULL (P: allocations, opendir). The _ form exits with EXIT_LAUNCH_FAILED and names the expression; the x form
   takes the exit code and a printf message. fatal() appends strerror(errno) when errno is set. */
#define Z_(x) do { if ((x) != 0) fatal(EXIT_LAUNCH_FAILED, errno, __FILE__, __LINE__, "%s", #x); } while (0)
#define T_(x) do { if (!(x)) fatal(EXIT_LAUNCH_FAILED, errno, __FILE__, __LINE__, "%s", #x); } while (0)
#define N_(x) do { if ((x) == -1) fatal(EXIT_LAUNCH_FAILED, errno, __FILE__, __LINE__, "%s", #x); } while (0)
#define P_(x) do { if ((x) == NULL) fatal(EXIT_LAUNCH_FAILED, errno, __FILE__, __LINE__, "%s", #x); } while (0)
#define Zx(code, x, ...) do { if ((x) != 0) fatal(code, errno, __FILE__, __LINE__, __VA_ARGS__); } while (0)
#define Tx(code, x, ...) do { if (!(x)) fatal(code, errno, __FILE__, __LINE__, __VA_ARGS__); } while (0)
#define Nx(code, x, ...) do { if ((x) == -1) fatal(code, errno, __FILE__, __LINE__, __VA_ARGS__); } while (0)
#define Px(code, x, ...) do { if ((x) == NULL) fatal(code, errno, __FILE__, __LINE__, __VA_ARGS__); } while (0)
/* Fatal now: without errno, or with errno (after a failed call tested by hand). */
#define FATAL(code, ...) fatal(code, 0, __FILE__, __LINE__, __VA_ARGS__)
#define FATAL_ERRNO(code, ...) fatal(code, errno, __FILE__, __LINE__, __VA_ARGS__)
/* A result ignored on purpose: cleanup on an error or fallback path, close() of an fd or dir we are done with that
   the payload does not inherit, a removal that may find nothing, a sleep or signal that may be cut short. Evaluates
   x once; `if` rather than a (void) cast, which does not silence gcc's warn_unused_result. Async-signal-safe. */
#define BEST_EFFORT(x) do { if (x) { } } while (0)
/* Debug trace, only with --debug. */
#define D_(...) do { if (debug) trace(__VA_ARGS__); } while (0)

enum mount_kind { M_BIND, M_FILE, M_TMPFS, M_PROC_HOST, M_PROC_NEW, M_SYS, M_DEV_HOST, M_DEV_MINIMAL, M_DEV_BIND };

enum hook_when { HOOK_CREATE, HOOK_CREATE_ROOTFS, HOOK_START };

/* --hook KIND TIMEOUT PATH NARGS ARG... NENV ENV... (hooks.c) */
struct hook {
   enum hook_when when;
   long timeout_s;            /* 0: none */
   const char *path;
   char **argv;               /* NULL-terminated */
   char **envp;               /* NULL-terminated: the hook's exact environment */
};

struct mnt {
   enum mount_kind kind;
   const char *src;      /* host path (bind, file) */
   const char *dst;      /* container path */
   bool ro;              /* bind */
   long size_mb;         /* tmpfs */
   bool has_fd;          /* a generated file (--file from --remove-before-exec DIR): its content is read from fd */
   int fd;
};

enum layer_kind { L_DIR, L_SQUASHFS, L_EXT3 };

/* An overlay layer from --layer (read-only, in stacking order, bottom first) or --overlay-image (the writable ext3
   image on top, always last). Mounted at /layers/N while the container is assembled (layers.c). */
struct layer {
   enum layer_kind kind;
   const char *src;      /* host path */
   long long offset;     /* squashfs, ext3: byte offset in the file */
   bool rw;              /* --overlay-image */
   int fuse_fd;          /* squashfs, ext3: /dev/fuse, -1 once mounted */
   int release;          /* the daemon's release pipe */
   int lock_fd;          /* ext3: the fd holding the image's OFD lock */
};

/* Where fuse-overlayfs finds the staged layers (/skel, /lower, /layers/N, ...): under this directory of the host's
   root, in its own copy of the container's mount namespace (layers.c). */
#define FOVL_DIR "/tmp"

struct portmap {
   int host_port, container_port;
   const char *proto;         /* tcp or udp */
};

struct plan {
   const char *sqfs_file;     /* --squashfs FILE OFFSET */
   long long sqfs_offset;
   const char *squashfuse;    /* --squashfuse PATH */
   const char *sandbox;       /* --sandbox DIR */
   bool writable;             /* --writable (sandbox) */
   long wtmpfs_mb;            /* --writable-tmpfs SIZE_MB; 0: none */
   const char *overlay;       /* --overlay DIR */
   struct layer *layers;      /* --layer ... then --overlay-image */
   size_t n_layers;
   const char *fuse2fs;       /* --fuse2fs PATH */
   const char *fuse_overlayfs;   /* --fuse-overlayfs PATH: assembles the stack when there is an ext3 layer */
   bool fovl;                 /* the stack is fuse-overlayfs's (an ext3 layer), not the kernel's */
   bool fakeroot;
   bool subids;
   unsigned long subid[4];    /* uid start, uid count, gid start, gid count */
   struct mnt *mounts;        /* in argv order */
   size_t n_mounts;
   bool pid_ns, ipc_ns;
   const char *hostname;      /* --uts */
   const char *cwd;
   bool cwd_required;
   int umask;                 /* --umask OCTAL; -1: the caller's */
   int *keep_fds;
   size_t n_keep_fds;
   const char *remove_before_exec;
   const char *remove_after_exit;
   bool net_ns;               /* --net: a new network namespace, lo up */
   const char *slirp;         /* --slirp PROGRAM: slirp4netns gives it a user-mode network */
   struct portmap *portmaps;  /* --portmap HOST CONTAINER PROTO (with --slirp) */
   size_t n_portmaps;
   const char **cgroups;      /* --cgroup DIR: the container's cgroups, one per hierarchy (cgroup.c) */
   size_t n_cgroups;
   const char *join_key;      /* --join KEY PEERS RANK (join.c); NULL: no joining */
   int join_peers, join_rank;
   bool no_init;              /* --no-init: with --pid, the payload itself is PID 1 */
   bool instance;             /* --instance OUT ERR: detached, the init stays (init.c) */
   const char *log_out_path, *log_err_path;
   int log_out, log_err;      /* their fds, opened by instance_detach() */
   int ready_fd;              /* -1, or the pipe to the starter waiting for the instance to be up */
   pid_t enter_pid;           /* --enter PID START: into a running instance (init.c); 0: no */
   unsigned long long enter_start;
   struct hook *hooks;        /* --hook, in argv order */
   size_t n_hooks;
   char **argv;               /* payload; with --instance it may be empty (the init alone keeps the container) */
};

enum join_role { JOIN_NONE, JOIN_LEADER, JOIN_JOINED };

extern bool debug;
/* The generated-files dir (--remove-before-exec) while it still exists: fatal() removes it, so a failed launch
   leaves nothing behind. Host path; "/oldroot" + path once the staging root is in place (see mounts.c). Only the
   process that called fatal_owner_set() last removes it; fatal() in any other (a forked helper) just _exit()s. */
extern const char *fatal_cleanup_dir;
extern uid_t caller_uid;
extern gid_t caller_gid;

/* util.c: messages, fatal() and its cleanup, and helpers that know nothing of the plan. */
void fatal(int code, int errnum, const char *file, int line, const char *fmt, ...)
   __attribute__((noreturn, format(printf, 5, 6)));
void fatal_owner_set(void);
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *cat(const char *a, const char *b);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void rm_tree(const char *dir);
bool mntns_in_use(dev_t dev, ino_t ino, pid_t except);
bool ns_in_use(const char *ns, dev_t dev, ino_t ino, pid_t except);

/* ns.c */
void privs_verify_invoking(void);
void fds_close_except(const int *keep, size_t n);
void signals_unblock(void);
int helper_fork(int *release_fd);
int helper_detach_wait(int fd);
void userns_enter(const struct plan *p);
void mountns_enter(const struct plan *p);
pid_t pidns_enter(int *status_fd);
void monitor(pid_t child, int status_fd) __attribute__((noreturn));
int monitor_wait(pid_t child, int status_fd);
void monitor_exit(int status) __attribute__((noreturn));
int check_all(void);

/* fuse.c */
int fuse_open(void);
void fuse_daemon_start(const struct plan *p, int fuse_fd, int *release_fd);
void fuse_mount(const struct plan *p, int fuse_fd, const char *target, int release_fd);
void fuse_attach(int fuse_fd, const char *source, const char *target, bool ro, int release_fd, const char *msg,
                 size_t msg_len, int code, const char *what);
void fuse_squashfuse_start(const char *squashfuse, const char *file, long long offset, int fuse_fd, int *release_fd);
void watcher_start(const char *dir, int *release_fd);
void helper_stdio(void);

/* net.c */
void net_helper_start(const struct plan *p, int *go_fd, int *ready_fd);
void net_enter(const struct plan *p, int go_fd, int ready_fd);

/* cgroup.c */
void cgroup_watcher_start(const struct plan *p);
void cgroup_enter(const struct plan *p);

/* layers.c */
int layer_lock(const char *file, bool rw);
void fusermount_standin(int argc, char **argv);
void layer_ext3_start(const struct plan *p, struct layer *l);
void layer_fovl_start(const struct plan *p, int fuse_fd, int *release_fd);
pid_t layer_writer_fork(int *ns_fd);
void layer_writer_monitor(struct plan *p, pid_t child, int ns_fd) __attribute__((noreturn));

/* init.c */
void init_run(const struct plan *p, int status_fd) __attribute__((noreturn));
void instance_detach(struct plan *p);
void instance_monitor_ready(const struct plan *p, pid_t init);
void instance_enter(const struct plan *p) __attribute__((noreturn));

/* starter.c */
void exec_payload(char **argv) __attribute__((noreturn));
void enter_cwd(const struct plan *p);

/* join.c */
enum join_role join_begin(const struct plan *p);
void join_publish(const struct plan *p);

/* replay.c: --replay SCRIPT NAME -- ARGS: the starter argv (and environ) of a recorded plan, or the full launch */
void replay(int argc, char **argv, int *argc_out, char ***argv_out);

/* hooks.c: the hooks of one phase (create: before the container is entered, root = its root; else start) */
void hooks_run(const struct plan *p, bool create, const char *root);

/* mounts.c */
void container_build(const struct plan *p, int fuse_fd, int fuse_release_fd, int fovl_fd, int fovl_release);
void dev_minimal(const char *dst);

#endif
