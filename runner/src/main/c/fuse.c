/* jsing-starter: the squashfuse daemon, the FUSE mount, and the --remove-after-exit watcher.

   Lifetimes. Both helpers are double-forked BEFORE unshare(CLONE_NEWNS), so they live in the host mount namespace,
   outside the container (the daemon is in the container's user namespace: the kernel requires the /dev/fuse fd to
   be opened in the mounter's user namespace; the watcher is forked even before that), in their own session (no terminal signals), with SIGINT/SIGTERM/SIGHUP/SIGQUIT ignored (libfuse keeps
   an ignored signal ignored). The daemon serves /dev/fd/N only: once the payload runs, it holds the only /dev/fuse fd,
   and when the container's last process exits the mount namespace dies, the kernel aborts the FUSE connection and
   squashfuse exits. A daemon living inside the container's mount namespace would keep it alive forever. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "starter.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif


/* stdin/stdout (and stderr unless --debug) on /dev/null: a helper must not hold the caller's pipes open, or
   `$(jsing exec ...)` would wait for it. */
void helper_stdio(void)
{
   int fd;
   N_(fd = open("/dev/null", O_RDWR));
   T_(dup2(fd, 0) == 0 && dup2(fd, 1) == 1);
   if (!debug)
      T_(dup2(fd, 2) == 2);
   if (fd > 2)
      Z_(close(fd));
}

int fuse_open(void)
{
   int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
   Tx(EXIT_UNAVAILABLE, fd >= 0, "cannot open /dev/fuse (it must be mode 0666)");
   return fd;
}

/* Fork a squashfuse daemon for the squashfs at offset in file; it waits on *release_fd until fuse_attach() has
   mounted fuse_fd. */
void fuse_squashfuse_start(const char *squashfuse, const char *file, long long offset, int fuse_fd, int *release_fd)
{
   char fdpath[32], opt[48];
   int rel, keep[2];
   if (helper_fork(&rel))
      return (void)(*release_fd = rel);
   keep[0] = fuse_fd;
   keep[1] = rel;
   helper_stdio();
   fds_close_except(keep, 2);
   if (!helper_detach_wait(rel))
      _exit(0);   /* the starter failed before mounting */
   Z_(close(rel));
   snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d", fuse_fd);
   snprintf(opt, sizeof(opt), "offset=%lld", offset);
   D_("exec %s -f -o %s %s %s", squashfuse, opt, file, fdpath);
   Zx(EXIT_UNAVAILABLE, execl(squashfuse, squashfuse, "-f", "-o", opt, file, fdpath, (char *)NULL),
      "cannot run %s", squashfuse);   /* fatal() _exits in a helper */
   _exit(EXIT_UNAVAILABLE);   /* not reached: execl returns only on failure */
}

/* The rootfs's squashfuse daemon. */
void fuse_daemon_start(const struct plan *p, int fuse_fd, int *release_fd)
{
   fuse_squashfuse_start(p->squashfuse, p->sqfs_file, p->sqfs_offset, fuse_fd, release_fd);
}

/* Mount fuse_fd at target ourselves (no fusermount), release the daemon (msg: what it waits for), drop our copy of
   the fd, and wait for the daemon's first reply: a daemon that cannot serve (what) makes the mount fail with
   ENOTCONN, not hang. */
void fuse_attach(int fuse_fd, const char *source, const char *target, bool ro, int release_fd, const char *msg,
                 size_t msg_len, int code, const char *what)
{
   char opts[128];
   struct stat st;
   snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=%d,group_id=%d", fuse_fd, (int)getuid(),
            (int)getgid());
   D_("mount fuse %s on %s", opts, target);
   Zx(EXIT_UNAVAILABLE, mount(source, target, "fuse", MS_NOSUID | MS_NODEV | (ro ? MS_RDONLY : 0), opts), "cannot mount FUSE on %s",
      target);
   T_(write(release_fd, msg, msg_len) == (ssize_t)msg_len);
   Z_(close(release_fd));
   Z_(close(fuse_fd));
   Zx(code, stat(target, &st), "%s", what);
   D_("serving %s", target);
}

void fuse_mount(const struct plan *p, int fuse_fd, const char *target, int release_fd)
{
   char what[PATH_MAX + 64];
   snprintf(what, sizeof(what), "%s could not serve %s at offset %lld", p->squashfuse, p->sqfs_file,
            p->sqfs_offset);
   fuse_attach(fuse_fd, p->sqfs_file, target, true, release_fd, "x", 1, EXIT_LAUNCH_FAILED, what);
}

/* Fork the watcher that removes dir once the starter's mount namespace has no process left, or at once when the
   starter dies before creating it. The starter writes a byte to *release_fd right after unshare(). */
void watcher_start(const char *dir, int *release_fd)
{
   pid_t starter = getpid();
   int rel, pidfd;
   char path[64];
   struct stat st;
   struct timespec tick = { 0, 100 * 1000 * 1000 };
   if (helper_fork(&rel))
      return (void)(*release_fd = rel);
   helper_stdio();
   fds_close_except(&rel, 1);
   pidfd = (int)syscall(SYS_pidfd_open, starter, 0);
   snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)starter);
   if (helper_detach_wait(rel) && stat(path, &st) == 0) {
      D_("watching mount namespace %lu of %d for %s", (unsigned long)st.st_ino, (int)starter, dir);
      if (pidfd >= 0) {
         struct pollfd pfd = { pidfd, POLLIN, 0 };
         while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
            ;
      }
      while (mntns_in_use(st.st_dev, st.st_ino, 0))
         BEST_EFFORT(nanosleep(&tick, NULL));   /* cut short: we look sooner */
   }
   rm_tree(dir);
   _exit(0);
}
