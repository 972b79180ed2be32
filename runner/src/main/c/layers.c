/* jsing-starter: overlay layers from images (--layer, --overlay-image): the image lock, the fuse2fs and
   fuse-overlayfs daemons, and the fusermount stand-in that hands fuse2fs our pre-mounted /dev/fuse fd.

   ext3 images are served by fuse2fs (Debian's links libfuse 2, which cannot take a /dev/fd/N mount point: it mounts
   through /bin/fusermount, which it execs with _FUSE_COMMFD set and expects to send back a mounted /dev/fuse fd). The
   daemon gets a private mount namespace in which /bin is a tmpfs holding this binary as `fusermount`: that stand-in
   sends back the fd the starter opened (and mounts itself, as for squashfuse), so no setuid helper ever runs.
   Kernel overlayfs cannot use a libfuse 2 mount as its upper layer (no d_type), so a stack with an ext3 image is
   assembled by fuse-overlayfs (libfuse 3, /dev/fd/N). It needs the layers by path: once they are mounted, it joins
   the container's mount namespace and at once unshares a private copy of it (so it does not keep the container
   alive), where it detaches its own mount point. Lifetimes chain: the container's last process exits, the mount
   namespace dies, the fuse-overlayfs connection is aborted and it exits, its copy of the namespace dies with the
   last references to the layers, and fuse2fs (and squashfuse) exit; fuse2fs writes the file system back and marks
   it clean as it goes.

   One writer at a time: the starter takes an OFD lock on each ext3 image (a write lock for the writable one, read
   locks for :ro ones) and the fuse2fs daemon inherits it, so it is held exactly as long as the image is open, on
   this node and (the lock is on the file itself) across nodes of a shared file system. The writer also records
   "PID HOST" in .NAME.jsing-holder beside the image, which a refused launch names. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/securebits.h>

#include "starter.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

/* The holder file of image `file`: .NAME.jsing-holder in the same directory. */
static char *holder_path(const char *file)
{
   const char *slash = strrchr(file, '/');
   return cat(cat(xstrndup(file, slash - file + 1), "."), cat(slash + 1, ".jsing-holder"));
}

/* "PID HOST" of the recorded writer, or false. */
static bool holder_read(const char *file, long *pid, char *host, size_t n)
{
   char buf[320], fmt[32];
   ssize_t len;
   int fd = open(holder_path(file), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
   if (fd < 0)
      return false;
   len = read(fd, buf, sizeof(buf) - 1);
   BEST_EFFORT(close(fd));   /* read-only, done with it */
   if (len <= 0)
      return false;
   buf[len] = '\0';
   snprintf(fmt, sizeof(fmt), "%%ld %%%zus", n - 1);
   return sscanf(buf, fmt, pid, host) == 2;
}

static void holder_write(const char *file)
{
   char host[256] = "", buf[320];
   int fd, n;
   BEST_EFFORT(gethostname(host, sizeof(host) - 1));   /* an empty name is still a valid record */
   n = snprintf(buf, sizeof(buf), "%ld %s\n", (long)getpid(), host[0] != '\0' ? host : "?");
   /* the holder file is a courtesy for the refusal message: the lock alone decides, so a directory we cannot
      write to only makes that message vaguer */
   fd = open(holder_path(file), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
   if (fd < 0)
      return;
   BEST_EFFORT(write(fd, buf, n) != n);   /* see above */
   BEST_EFFORT(close(fd));
}

/* Lock ext3 image `file` (read lock unless rw) and return the fd that holds it. A conflicting lock whose recorded
   holder is a dead process of this host belongs to a container that has exited and is still writing the image
   back: wait for it (up to 30 s). Anything else is refused at once, naming the holder. */
int layer_lock(const char *file, bool rw)
{
   struct flock fl;
   struct timespec tick = { 0, 20 * 1000 * 1000 };
   int fd, waited = 0;
   Nx(EXIT_NOT_FOUND, fd = open(file, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC),
      "cannot open overlay image %s%s", file, rw ? " for writing" : "");
   for (;;) {
      char host[256] = "", self[256] = "";
      long pid = 0;
      bool known;
      memset(&fl, 0, sizeof(fl));
      fl.l_type = rw ? F_WRLCK : F_RDLCK;
      fl.l_whence = SEEK_SET;
      if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
         break;
      Tx(EXIT_LAUNCH_FAILED, errno == EAGAIN || errno == EACCES, "cannot lock overlay image %s", file);
      memset(&fl, 0, sizeof(fl));
      fl.l_type = rw ? F_WRLCK : F_RDLCK;
      fl.l_whence = SEEK_SET;
      Z_(fcntl(fd, F_OFD_GETLK, &fl));
      if (fl.l_type == F_UNLCK)   /* released in between */
         continue;
      known = fl.l_type == F_WRLCK && holder_read(file, &pid, host, sizeof(host));
      BEST_EFFORT(gethostname(self, sizeof(self) - 1));   /* an empty name matches no recorded host */
      if (known && !strcmp(host, self) && pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH
          && waited++ < 1500) {
         if (waited == 1)
            D_("overlay image %s: writer %ld has exited, waiting for it to be written back", file, pid);
         BEST_EFFORT(nanosleep(&tick, NULL));   /* cut short: we look sooner */
         continue;
      }
      if (fl.l_type != F_WRLCK)
         FATAL(EXIT_IMAGE_BUSY, "overlay image %s is in use read-only by another container; a writer needs it "
               "alone", file);
      if (known)
         FATAL(EXIT_IMAGE_BUSY, "overlay image %s is in use by another container (pid %ld on %s)", file, pid, host);
      FATAL(EXIT_IMAGE_BUSY, "overlay image %s is in use by another container", file);
   }
   if (rw)
      holder_write(file);
   D_("overlay image %s locked for %s", file, rw ? "writing" : "reading");
   return fd;
}

/* Run as /bin/fusermount in the fuse2fs daemon's namespace (see above): send libfuse the fd named by
   JSING_FUSE_FD over the socket _FUSE_COMMFD; "-u" (unmount) has nothing to do. Returns only if this is not such a
   call. */
void fusermount_standin(int argc, char **argv)
{
   const char *comm = getenv("_FUSE_COMMFD"), *fuse = getenv("JSING_FUSE_FD"), *base = strrchr(argv[0], '/');
   char ctl[CMSG_SPACE(sizeof(int))];
   struct msghdr msg;
   struct iovec iov;
   struct cmsghdr *c;
   int fd;
   if (comm == NULL || fuse == NULL || strcmp(base != NULL ? base + 1 : argv[0], "fusermount"))
      return;
   for (int i = 1; i < argc; i++)
      if (!strcmp(argv[i], "-u"))
         _exit(0);   /* the kernel aborts the connection when the container is gone */
   fd = atoi(fuse);
   memset(&msg, 0, sizeof(msg));
   memset(ctl, 0, sizeof(ctl));
   iov.iov_base = "";
   iov.iov_len = 1;
   msg.msg_iov = &iov;
   msg.msg_iovlen = 1;
   msg.msg_control = ctl;
   msg.msg_controllen = sizeof(ctl);
   c = CMSG_FIRSTHDR(&msg);
   c->cmsg_level = SOL_SOCKET;
   c->cmsg_type = SCM_RIGHTS;
   c->cmsg_len = CMSG_LEN(sizeof(int));
   memcpy(CMSG_DATA(c), &fd, sizeof(int));
   T_(sendmsg(atoi(comm), &msg, 0) == 1);
   _exit(0);
}

/* stdin/stdout (and stderr unless --debug) on /dev/null, as for squashfuse. */
static void daemon_stdio(void)
{
   int fd;
   N_(fd = open("/dev/null", O_RDWR));
   T_(dup2(fd, 0) == 0 && dup2(fd, 1) == 1);
   if (!debug)
      T_(dup2(fd, 2) == 2);
   if (fd > 2)
      Z_(close(fd));
}

/* No capabilities survive the exec, even for uid 0 (--fakeroot): libfuse must not mount by itself. */
static void exec_unprivileged(void)
{
   Z_(prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP
                                  | SECBIT_NO_SETUID_FIXUP_LOCKED, 0, 0, 0));
   Z_(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
}

/* Fork the fuse2fs daemon of ext3 layer l; it waits on l->release until the starter has mounted l->fuse_fd. */
void layer_ext3_start(const struct plan *p, struct layer *l)
{
   char fdenv[32], opts[96], self[PATH_MAX], *argv[8], *envp[3];
   int rel, exe, keep[3];
   ssize_t n;
   if (helper_fork(&rel))
      return (void)(l->release = rel);
   keep[0] = l->fuse_fd;
   keep[1] = rel;
   keep[2] = l->lock_fd;   /* fuse2fs holds the lock as long as it has the image open */
   daemon_stdio();
   fds_close_except(keep, 3);
   Nx(EXIT_UNAVAILABLE, exe = open(p->fuse2fs, O_PATH | O_CLOEXEC), "cannot run %s", p->fuse2fs);
   if (!helper_detach_wait(rel))
      _exit(0);   /* the starter failed before mounting */
   Z_(close(rel));
   N_(n = readlink("/proc/self/exe", self, sizeof(self) - 1));   /* by path: the link's mount is not in the copy */
   self[n] = '\0';
   /* A private mount namespace whose /bin holds us as fusermount (see above). */
   Z_(unshare(CLONE_NEWNS));
   Z_(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
   Z_(mount("jsing-fusermount", "/bin", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755"));
   N_(keep[0] = open("/bin/fusermount", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0755));
   Z_(close(keep[0]));
   Z_(mount(self, "/bin/fusermount", NULL, MS_BIND, NULL));
   Z_(fcntl(l->fuse_fd, F_SETFD, 0));
   snprintf(fdenv, sizeof(fdenv), "JSING_FUSE_FD=%d", l->fuse_fd);
   snprintf(opts, sizeof(opts), "offset=%lld,nonempty%s", l->offset, l->rw ? "" : ",ro");
   envp[0] = fdenv;
   envp[1] = "PATH=/bin";
   envp[2] = NULL;
   argv[0] = "fuse2fs";
   argv[1] = (char *)l->src;
   argv[2] = "/";
   argv[3] = "-f";
   argv[4] = "-o";
   argv[5] = opts;
   argv[6] = NULL;
   exec_unprivileged();
   D_("exec %s %s / -f -o %s", p->fuse2fs, l->src, opts);
   Zx(EXIT_UNAVAILABLE, syscall(SYS_execveat, exe, "", argv, envp, AT_EMPTY_PATH), "cannot run %s", p->fuse2fs);
   _exit(EXIT_UNAVAILABLE);   /* not reached */
}

/* Fork the fuse-overlayfs daemon; it waits on *release_fd until the starter has mounted fuse_fd on /final with the
   layers in place, then joins (a private copy of) the starter's mount namespace and serves `opts`, which the
   starter writes into the release pipe (NUL-terminated). */
void layer_fovl_start(const struct plan *p, int fuse_fd, int *release_fd)
{
   static const char *staged[] = { "/skel", "/lower", "/layers", "/wtmpfs", "/rw", NULL };
   pid_t starter = getpid();
   char nspath[64], fdpath[32], opts[PATH_MAX];
   size_t len = 0;
   ssize_t n;
   int rel, ns, keep[2];
   if (helper_fork(&rel))
      return (void)(*release_fd = rel);
   keep[0] = fuse_fd;
   keep[1] = rel;
   daemon_stdio();
   fds_close_except(keep, 2);
   while (len < sizeof(opts) && (n = read(rel, opts + len, sizeof(opts) - len)) != 0) {
      if (n < 0 && errno == EINTR)
         continue;
      N_(n);
      len += n;
   }
   if (len == 0 || opts[len - 1] != '\0')
      _exit(0);   /* the starter failed before mounting */
   Z_(close(rel));
   snprintf(nspath, sizeof(nspath), "/proc/%d/ns/mnt", (int)starter);
   N_(ns = open(nspath, O_RDONLY | O_CLOEXEC));
   Z_(setns(ns, CLONE_NEWNS));
   Z_(close(ns));
   Z_(unshare(CLONE_NEWNS));   /* our own copy: the container's namespace dies with its last process */
   Z_(umount2("/final", MNT_DETACH));   /* our mount point, which would keep our own connection alive */
   /* fuse-overlayfs runs in the host's root (its libraries, /proc, /dev): the layers are bound under its /tmp, a
      tmpfs of our copy only */
   Z_(mount("jsing-layers", "/oldroot" FOVL_DIR, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755"));
   for (int i = 0; staged[i] != NULL; i++) {
      struct stat st;
      char *to = cat("/oldroot" FOVL_DIR, staged[i]);
      if (stat(staged[i], &st) != 0)
         continue;
      Z_(mkdir(to, 0755));
      Z_(mount(staged[i], to, NULL, MS_BIND | MS_REC, NULL));
   }
   Z_(chroot("/oldroot"));
   Z_(chdir("/"));
   snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d", fuse_fd);
   exec_unprivileged();
   D_("exec %s -f -o %s %s", p->fuse_overlayfs, opts, fdpath);
   Zx(EXIT_UNAVAILABLE, execl(p->fuse_overlayfs, p->fuse_overlayfs, "-f", "-o", opts, fdpath, (char *)NULL),
      "cannot run %s", p->fuse_overlayfs);
   _exit(EXIT_UNAVAILABLE);   /* not reached */
}

/* With a writable image, the starter forks before the container's mount namespace exists: the child builds the
   container and runs the payload, the parent stays outside as a monitor (layer_writer_monitor) so that jsing returns
   only once the image is written back and closed. Returns the child's pid in the parent (and the read end of the pipe
   on which the child sends its mount namespace's dev and inode), 0 in the child. */
pid_t layer_writer_fork(int *ns_fd)
{
   int pfd[2];
   pid_t pid;
   Z_(pipe2(pfd, O_CLOEXEC));
   N_(pid = fork());
   if (pid > 0) {
      Z_(close(pfd[1]));
      *ns_fd = pfd[0];
      return pid;
   }
   Z_(close(pfd[0]));
   *ns_fd = pfd[1];
   return 0;
}

/* The monitor: forward signals to the child and take its status; then wait until the writable image is closed
   (fuse2fs releases the lock when it exits, once the container's mount namespace is gone), unless processes the
   payload left behind still use the container: then the image stays theirs, and locked, until they exit. */
void layer_writer_monitor(struct plan *p, pid_t child, int ns_fd)
{
   struct timespec tick = { 0, 10 * 1000 * 1000 };
   unsigned long long ns[2] = { 0, 0 };
   const struct layer *img = &p->layers[p->n_layers - 1];
   ssize_t n;
   int status, fd;
   while ((n = read(ns_fd, ns, sizeof(ns))) < 0 && errno == EINTR)
      ;
   Z_(close(ns_fd));
   status = monitor_wait(child, -1);
   for (size_t i = 0; i < p->n_layers; i++)   /* ours; the fuse2fs daemons hold their own */
      if (p->layers[i].lock_fd >= 0)
         Z_(close(p->layers[i].lock_fd));
   if (n != (ssize_t)sizeof(ns))
      monitor_exit(status);   /* the child failed before it had a mount namespace */
   N_(fd = open(img->src, O_RDONLY | O_CLOEXEC));
   for (int waited = 0; waited < 6000; waited++) {   /* at most a minute of writing back */
      struct flock fl;
      memset(&fl, 0, sizeof(fl));
      fl.l_type = F_RDLCK;
      fl.l_whence = SEEK_SET;
      if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
         break;
      if (mntns_in_use((dev_t)ns[0], (ino_t)ns[1], 0)) {
         D_("processes left in the container keep %s open", img->src);
         break;
      }
      BEST_EFFORT(nanosleep(&tick, NULL));   /* cut short: we look sooner */
   }
   D_("overlay image %s closed", img->src);
   monitor_exit(status);
}
