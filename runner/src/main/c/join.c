/* jsing-starter: --join KEY PEERS RANK, one container per node per job step.

   The ranks of one job step on one node share one container: one user namespace, one mount namespace, one
   squashfuse daemon. So Open MPI's shared-memory single-copy (CMA, process_vm_readv) works between them (it fails
   with EPERM across sibling user namespaces), and a node runs one FUSE daemon instead of one per rank.

   Files, in a per-user directory DIR = /dev/shm/jsing-<uid> (mode 0700, ours, not a symlink; else /tmp/jsing-<uid>):
     KEY.lock    flock(2)ed by whoever reads or changes the state below
     KEY.holder  the holder's pid (decimal), written by the leader
     KEY.ranks   one line "pid" per rank that entered the container, appended under the lock

   Leader (the first rank to take the lock and find no live holder): keeps the lock while it builds the container as
   usual (starter.c), then forks the holder, a tiny process in the container's namespaces that does nothing but wait
   (comm "jsing-holder"), publishes its pid, registers itself and releases the lock just before its exec.
   Joiner: takes the lock (so it waits while the leader builds), finds a live holder, opens /proc/<holder>/ns/user,
   /ns/mnt and /root, registers, releases the lock, then setns(user), setns(mnt), chroot into the holder's root.
   Holder: waits (pidfd + poll, no busy loop once all PEERS ranks have registered) until every registered rank has
   exited and no process is left in the mount namespace; then, under the lock, removes the three files (and DIR if
   empty) and exits. The mount namespace then dies and with it the FUSE mount and its daemon. If fewer than PEERS
   ranks ever come, it gives up JOIN_GRACE_S seconds after the last registered one exited.
   Stale state: a KEY.holder naming a pid that is gone or is not a jsing-holder of ours (a crash, kill -9) is
   ignored and overwritten by the next leader. Any problem with DIR makes the rank run a container of its own, with
   a warning: joining is an optimisation, never a reason to fail. */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "starter.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define JOIN_GRACE_S 10
#define HOLDER_COMM "jsing-holder"
#define MAX_RANKS 4096

static int base_fd = -1;   /* DIR's parent (/dev/shm or /tmp) */
static int dir_fd = -1;    /* DIR */
static int lock_fd = -1;   /* KEY.lock, flocked while we are leader or deciding */
static char name_lock[300], name_holder[300], name_ranks[300];

/* Open (creating) the per-user directory under base; -1 when it is unusable. */
static int open_user_dir(const char *base)
{
   char path[256];
   struct stat st;
   int fd;
   snprintf(path, sizeof(path), "%s/jsing-%d", base, (int)getuid());
   if (mkdir(path, 0700) != 0 && errno != EEXIST)
      return -1;
   if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
      return -1;
   if (base_fd >= 0)
      BEST_EFFORT(close(base_fd));   /* the previous try's, read-only */
   if ((base_fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
      BEST_EFFORT(close(fd));
      return -1;
   }
   if (fstat(fd, &st) != 0 || st.st_uid != getuid() || (st.st_mode & 077) != 0) {
      warn("--join: %s is not a private directory of ours; running a container of our own", path);
      BEST_EFFORT(close(fd));
      return -1;
   }
   D_("join directory %s", path);
   return fd;
}

/* Read a small file (at most n-1 bytes) under DIR into buf; returns its length or -1. */
static ssize_t read_small(const char *name, char *buf, size_t n)
{
   int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
   ssize_t len;
   if (fd < 0)
      return -1;
   len = read(fd, buf, n - 1);
   BEST_EFFORT(close(fd));   /* read-only, done with */
   if (len >= 0)
      buf[len] = '\0';
   return len;
}

/* Is pid alive (not a zombie: an orphan may wait a while for init to reap it), ours, and a jsing holder? */
static bool is_holder(pid_t pid)
{
   char path[64], stat_line[128], *close_paren;
   struct stat st;
   int fd;
   ssize_t n;
   if (pid <= 0)
      return false;
   snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
   if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
      return false;
   n = read(fd, stat_line, sizeof(stat_line) - 1);
   BEST_EFFORT(close(fd));   /* read-only, done with */
   if (n <= 0)
      return false;
   stat_line[n] = '\0';   /* "pid (comm) S ..." */
   if ((close_paren = strrchr(stat_line, ')')) == NULL || close_paren[1] != ' ')
      return false;
   *close_paren = '\0';
   snprintf(path, sizeof(path), "/proc/%d", (int)pid);
   return strstr(stat_line, "(" HOLDER_COMM) != NULL && !strcmp(strchr(stat_line, '(') + 1, HOLDER_COMM)
          && close_paren[2] != 'Z' && close_paren[2] != 'X' && stat(path, &st) == 0 && st.st_uid == getuid();
}

/* Append our pid to KEY.ranks (under the lock). */
static void register_rank(pid_t pid)
{
   char line[32];
   int fd, len = snprintf(line, sizeof(line), "%d\n", (int)pid);
   N_(fd = openat(dir_fd, name_ranks, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600));
   T_(write(fd, line, len) == len);
   Z_(close(fd));
}

/* Take KEY.lock, making sure the file we locked is still the one at its name (the holder unlinks it). */
static bool lock_take(void)
{
   struct stat a, b;
   for (int tries = 0; tries < 100; tries++) {
      int fd = openat(dir_fd, name_lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd < 0)
         return false;
      while (flock(fd, LOCK_EX) != 0)
         if (errno != EINTR) {
            BEST_EFFORT(close(fd));   /* error path */
            return false;
         }
      if (fstat(fd, &a) == 0 && fstatat(dir_fd, name_lock, &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_ino == b.st_ino
          && a.st_dev == b.st_dev) {
         lock_fd = fd;
         return true;
      }
      BEST_EFFORT(close(fd));   /* unlinked under us: try the new one */
   }
   return false;
}

static void lock_release(void)
{
   if (lock_fd >= 0) {
      BEST_EFFORT(close(lock_fd));   /* the fd, and with it the flock, is gone even when close() fails */
      lock_fd = -1;
   }
}

/* Remove the state of other keys whose holder is gone (a holder killed with SIGKILL, a leader that crashed before
   publishing one), so that a crash leaves nothing behind once the user's next job step on the node starts. A key
   whose lock is taken (a leader building its container) is left alone. */
static void sweep_stale(const char *own)
{
   DIR *d;
   struct dirent *e;
   int dup = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
   if (dup < 0 || (d = fdopendir(dup)) == NULL)
      return;
   while ((e = readdir(d)) != NULL) {
      char key[256], name[300], buf[32];
      size_t len = strlen(e->d_name);
      int fd;
      if (len < 6 || len - 5 >= sizeof(key) || strcmp(e->d_name + len - 5, ".lock") != 0)
         continue;
      memcpy(key, e->d_name, len - 5);
      key[len - 5] = '\0';
      if (!strcmp(key, own) || (fd = openat(dir_fd, e->d_name, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) < 0)
         continue;
      if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
         snprintf(name, sizeof(name), "%s.holder", key);
         if (!(read_small(name, buf, sizeof(buf)) > 0 && is_holder((pid_t)atoi(buf)))) {
            D_("removing the stale join state of %s", key);
            BEST_EFFORT(unlinkat(dir_fd, name, 0));   /* any of the three may be missing */
            snprintf(name, sizeof(name), "%s.ranks", key);
            BEST_EFFORT(unlinkat(dir_fd, name, 0));
            BEST_EFFORT(unlinkat(dir_fd, e->d_name, 0));
         }
      }
      BEST_EFFORT(close(fd));   /* done with that lock */
   }
   BEST_EFFORT(closedir(d));   /* read-only, done with */
}

enum join_role join_begin(const struct plan *p)
{
   char buf[32];
   pid_t holder;
   int user_fd, mnt_fd, root_fd;
   char path[64];

   if (strchr(p->join_key, '/') != NULL || p->join_key[0] == '.' || strlen(p->join_key) > 200)
      FATAL(EXIT_USAGE, "--join: bad key '%s'", p->join_key);
   snprintf(name_lock, sizeof(name_lock), "%s.lock", p->join_key);
   snprintf(name_holder, sizeof(name_holder), "%s.holder", p->join_key);
   snprintf(name_ranks, sizeof(name_ranks), "%s.ranks", p->join_key);
   for (int tries = 0;; tries++) {   /* a holder may remove an empty DIR between our mkdir and our open */
      if ((dir_fd = open_user_dir("/dev/shm")) < 0 && (dir_fd = open_user_dir("/tmp")) < 0)
         return JOIN_NONE;
      if (lock_take())
         break;
      if (errno != ENOENT || tries == 5) {
         warn("--join: cannot lock %s: %s; running a container of our own", name_lock, strerror(errno));
         return JOIN_NONE;
      }
      BEST_EFFORT(close(dir_fd));   /* read-only; we open DIR again */
   }
   holder = read_small(name_holder, buf, sizeof(buf)) > 0 ? (pid_t)atoi(buf) : 0;
   if (!is_holder(holder)) {
      if (holder > 0)
         D_("stale join state: holder %d is gone", (int)holder);
      BEST_EFFORT(unlinkat(dir_fd, name_holder, 0));   /* stale or missing */
      BEST_EFFORT(unlinkat(dir_fd, name_ranks, 0));
      sweep_stale(p->join_key);
      D_("rank %d of %d: leader for %s", p->join_rank, p->join_peers, p->join_key);
      return JOIN_LEADER;   /* keeps the lock until join_publish() */
   }

   snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)holder);
   user_fd = open(path, O_RDONLY | O_CLOEXEC);
   snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)holder);
   mnt_fd = open(path, O_RDONLY | O_CLOEXEC);
   snprintf(path, sizeof(path), "/proc/%d/root", (int)holder);
   root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
   if (user_fd < 0 || mnt_fd < 0 || root_fd < 0)
      FATAL_ERRNO(EXIT_LAUNCH_FAILED, "--join: cannot open the namespaces of holder %d", (int)holder);
   register_rank(getpid());
   lock_release();
   D_("rank %d of %d: joining holder %d", p->join_rank, p->join_peers, (int)holder);
   if (p->remove_before_exec != NULL)   /* our generated files: the leader's are the ones mounted */
      rm_tree(p->remove_before_exec);
   /* User namespace first: it gives us the capabilities over the mount namespace it owns. */
   Zx(EXIT_LAUNCH_FAILED, setns(user_fd, CLONE_NEWUSER), "--join: setns(user) of holder %d", (int)holder);
   Zx(EXIT_LAUNCH_FAILED, setns(mnt_fd, CLONE_NEWNS), "--join: setns(mnt) of holder %d", (int)holder);
   Z_(fchdir(root_fd));
   Z_(chroot("."));
   Z_(chdir("/"));
   Z_(close(user_fd));
   Z_(close(mnt_fd));
   Z_(close(root_fd));
   Z_(close(dir_fd));
   Z_(close(base_fd));
   return JOIN_JOINED;
}

/* Read KEY.ranks from *offset on; pidfd_open each new pid into fds[]. Returns how many ranks were added. */
static int read_ranks(off_t *offset, int *fds, int *n)
{
   char buf[4096];
   int fd = openat(dir_fd, name_ranks, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), added = 0;
   ssize_t len;
   if (fd < 0)
      return 0;
   len = pread(fd, buf, sizeof(buf) - 1, *offset);
   BEST_EFFORT(close(fd));   /* read-only, done with */
   if (len <= 0)
      return 0;
   buf[len] = '\0';
   for (char *line = buf, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
      pid_t pid = (pid_t)atoi(line);
      *offset += nl + 1 - line;
      if (*n < MAX_RANKS) {
         int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
         fds[(*n)++] = pfd;   /* -1 (already gone) counts as exited */
      }
      added++;
   }
   return added;
}

/* The holder: wait for the ranks, then clean up. Never returns. */
static void holder_run(int peers)
{
   static int fds[MAX_RANKS];
   struct pollfd pfd[MAX_RANKS];
   int n = 0, registered = 0, alive, late;
   off_t offset = 0;
   struct stat ns;
   time_t idle_since = 0;
   struct timespec tick = { 0, 100 * 1000 * 1000 };

   Z_(stat("/proc/self/ns/mnt", &ns));
   for (;;) {
      int live = 0;
      registered += read_ranks(&offset, fds, &n);
      for (int i = 0; i < n; i++)
         if (fds[i] >= 0) {
            pfd[live].fd = fds[i];
            pfd[live].events = POLLIN;
            pfd[live++].revents = 0;
         }
      /* All expected ranks are in: sleep until one exits. Else look for new ranks every 100 ms. (A rank that
         exited before we read its pid has no pidfd: it counts as exited.) */
      if (live > 0)
         BEST_EFFORT(poll(pfd, (nfds_t)live, registered >= peers ? -1 : 100));   /* error: no revents, look again */
      else if (registered < peers)
         BEST_EFFORT(nanosleep(&tick, NULL));   /* cut short: we look sooner */
      alive = 0;
      for (int i = 0; i < live; i++)
         if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
            for (int k = 0; k < n; k++)
               if (fds[k] == pfd[i].fd) {
                  BEST_EFFORT(close(fds[k]));   /* the pidfd of an exited rank */
                  fds[k] = -1;
               }
      for (int i = 0; i < n; i++)
         alive += fds[i] >= 0;
      D_("holder: %d of %d ranks registered, %d alive", registered, peers, alive);
      if (alive > 0) {
         idle_since = 0;
         continue;
      }
      if (registered < peers) {   /* the missing ranks may still come, for a while */
         if (idle_since == 0)
            idle_since = time(NULL);
         if (time(NULL) - idle_since < JOIN_GRACE_S)
            continue;
      }
      while (mntns_in_use(ns.st_dev, ns.st_ino, getpid()))   /* the ranks' own children */
         BEST_EFFORT(nanosleep(&tick, NULL));
      D_("holder: no process left in the container");
      if (!lock_take())
         break;
      if ((late = read_ranks(&offset, fds, &n)) > 0) {   /* a late rank came in: keep holding */
         registered += late;
         lock_release();
         continue;
      }
      BEST_EFFORT(unlinkat(dir_fd, name_holder, 0));   /* whatever is left goes as stale state (sweep_stale) */
      BEST_EFFORT(unlinkat(dir_fd, name_ranks, 0));
      BEST_EFFORT(unlinkat(dir_fd, name_lock, 0));
      lock_release();
      break;
   }
   /* DIR itself, when nothing else uses it (ENOTEMPTY otherwise). */
   {
      char name[32];
      snprintf(name, sizeof(name), "jsing-%d", (int)getuid());
      BEST_EFFORT(unlinkat(base_fd, name, AT_REMOVEDIR));   /* ENOTEMPTY: other keys still use it */
   }
   _exit(0);
}

void join_publish(const struct plan *p)
{
   char buf[32];
   int rel, fd, len, keep[3];
   pid_t holder;
   int pfd[2];
   Z_(pipe2(pfd, O_CLOEXEC));
   if (helper_fork(&rel) == 0) {
      /* The holder: in the container's user and mount namespaces, in its own session, signals ignored. */
      Z_(close(pfd[0]));
      Z_(prctl(PR_SET_NAME, HOLDER_COMM, 0, 0, 0));   /* before it is published: joiners check the name */
      len = snprintf(buf, sizeof(buf), "%d", (int)getpid());
      T_(write(pfd[1], buf, len) == len);
      Z_(close(pfd[1]));
      keep[0] = dir_fd;
      keep[1] = rel;
      keep[2] = base_fd;
      N_(fd = open("/dev/null", O_RDWR | O_CLOEXEC));
      T_(dup2(fd, 0) == 0 && dup2(fd, 1) == 1 && (debug || dup2(fd, 2) == 2));
      fds_close_except(keep, 3);
      Z_(chdir("/"));
      BEST_EFFORT(helper_detach_wait(rel));   /* the leader published us, or died: holder_run() cleans up either way */
      Z_(close(rel));
      holder_run(p->join_peers);
   }
   Z_(close(pfd[1]));
   T_((len = (int)read(pfd[0], buf, sizeof(buf) - 1)) > 0);
   buf[len] = '\0';
   Z_(close(pfd[0]));
   holder = (pid_t)atoi(buf);
   N_(fd = openat(dir_fd, name_holder, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
   T_(write(fd, buf, len) == len);
   Z_(close(fd));
   register_rank(getpid());
   D_("holder %d published for %s", (int)holder, p->join_key);
   T_(write(rel, "x", 1) == 1);
   Z_(close(rel));
   lock_release();
   Z_(close(dir_fd));
   Z_(close(base_fd));
}
