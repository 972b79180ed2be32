/* jsing-starter: privileges, fds, signals, helper processes, user/PID namespaces and the --check self test. */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "starter.h"

/* Abort unless we run with exactly the caller's identity: no setuid/setgid bit, no file capabilities. jsing needs
   no privileges; a privileged starter would be a hole, so it refuses to run rather than drop them. */
void privs_verify_invoking(void)
{
   uid_t ru, eu, su;
   gid_t rg, eg, sg;
   struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
   struct __user_cap_data_struct caps[2];
   Z_(getresuid(&ru, &eu, &su));
   Z_(getresgid(&rg, &eg, &sg));
   if (ru != eu || ru != su || rg != eg || rg != sg)
      FATAL(EXIT_LAUNCH_FAILED, "jsing-starter must not be setuid or setgid (uids %d/%d/%d, gids %d/%d/%d); "
            "refusing to run", (int)ru, (int)eu, (int)su, (int)rg, (int)eg, (int)sg);
   Z_(syscall(SYS_capget, &hdr, caps));
   if (ru != 0 && (caps[0].permitted | caps[1].permitted | caps[0].effective | caps[1].effective) != 0)
      FATAL(EXIT_LAUNCH_FAILED, "jsing-starter must not have file capabilities; refusing to run");
}

/* Close every fd > 2 except keep[] (which must be open, and lose FD_CLOEXEC so they survive the exec). */
void fds_close_except(const int *keep, size_t n)
{
   DIR *d = opendir("/proc/self/fd");
   struct dirent *e;
   for (size_t i = 0; i < n; i++) {
      int fl = fcntl(keep[i], F_GETFD);
      Tx(EXIT_USAGE, fl >= 0, "--keep-fd %d", keep[i]);
      Z_(fcntl(keep[i], F_SETFD, fl & ~FD_CLOEXEC));
   }
   if (d == NULL) {   /* no /proc: the slow way */
      for (int fd = 3; fd < 65536; fd++) {
         bool k = false;
         for (size_t i = 0; i < n; i++)
            k |= keep[i] == fd;
         if (!k)
            BEST_EFFORT(close(fd));   /* most are not open (EBADF) */
      }
      return;
   }
   while ((errno = 0, e = readdir(d)) != NULL) {
      int fd = atoi(e->d_name);
      bool k = fd <= 2 || fd == dirfd(d) || e->d_name[0] == '.';
      for (size_t i = 0; i < n; i++)
         k |= keep[i] == fd;
      if (!k) {
         D_("closing inherited fd %d", fd);
         Z_(close(fd));
      }
   }
   T_(errno == 0);
   Z_(closedir(d));
}

/* The JVM's thread signal mask survives execve; the payload must start with none blocked. Dispositions are left as
   inherited (a background job's ignored SIGINT stays ignored, as with any exec). */
void signals_unblock(void)
{
   sigset_t none;
   Z_(sigemptyset(&none));
   Z_(sigprocmask(SIG_SETMASK, &none, NULL));
}

/* Double-fork a helper that is reparented away from us (to init or the nearest subreaper), in its own session, so
   that it neither becomes a child of the payload nor receives the terminal's signals. Returns 0 in the helper, with
   *release_fd the read end of a pipe; returns 1 in the caller, with *release_fd the write end. The helper waits on
   the pipe with helper_wait_release(). */
int helper_fork(int *release_fd)
{
   int pfd[2], status;
   pid_t pid;
   Z_(pipe2(pfd, O_CLOEXEC));
   N_(pid = fork());
   if (pid == 0) {
      N_(pid = fork());
      if (pid > 0)
         _exit(0);
      Z_(close(pfd[1]));
      N_(setsid());
      T_(signal(SIGINT, SIG_IGN) != SIG_ERR);   /* ignored stays ignored through exec: libfuse keeps it */
      T_(signal(SIGTERM, SIG_IGN) != SIG_ERR);
      T_(signal(SIGHUP, SIG_IGN) != SIG_ERR);
      T_(signal(SIGQUIT, SIG_IGN) != SIG_ERR);
      *release_fd = pfd[0];
      return 0;
   }
   Z_(close(pfd[0]));
   T_(waitpid(pid, &status, 0) == pid);
   *release_fd = pfd[1];
   return 1;
}

/* In a helper: block until the caller writes a byte (1) or exits/closes the pipe (0). */
int helper_detach_wait(int fd)
{
   char c;
   ssize_t n;
   while ((n = read(fd, &c, 1)) < 0 && errno == EINTR)
      ;
   return n == 1;
}

static void write_file(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void write_file(const char *path, const char *fmt, ...)
{
   char buf[256];
   int fd, len;
   va_list ap;
   va_start(ap, fmt);
   len = vsnprintf(buf, sizeof(buf), fmt, ap);
   va_end(ap);
   Nx(EXIT_LAUNCH_FAILED, fd = open(path, O_WRONLY | O_CLOEXEC), "open %s", path);
   Tx(EXIT_LAUNCH_FAILED, write(fd, buf, len) == len, "write %s '%s'", path, buf);
   Z_(close(fd));
}

static void run_wait(char **argv)
{
   pid_t pid;
   int status;
   N_(pid = fork());
   if (pid == 0) {
      Zx(EXIT_UNAVAILABLE, execv(argv[0], argv), "cannot run %s", argv[0]);   /* fatal() _exits in a child */
      _exit(EXIT_UNAVAILABLE);   /* not reached: execv returns only on failure */
   }
   T_(waitpid(pid, &status, 0) == pid);
   if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      _exit(EXIT_UNAVAILABLE);
}

static const char *which_sbin(const char *name)
{
   char *p = cat("/usr/bin/", name);
   return access(p, X_OK) == 0 ? p : cat("/bin/", name);
}

/* Fakeroot with subordinate ids: a child outside the new namespace runs newuidmap/newgidmap on us. */
static void subid_maps(const struct plan *p, pid_t target, int release)
{
   char pid_s[16], u[16], g[16], us[24], uc[24], gs[24], gc[24];
   char *uargv[] = { (char *)which_sbin("newuidmap"), pid_s, "0", u, "1", "1", us, uc, NULL };
   char *gargv[] = { (char *)which_sbin("newgidmap"), pid_s, "0", g, "1", "1", gs, gc, NULL };
   snprintf(pid_s, sizeof(pid_s), "%d", (int)target);
   snprintf(u, sizeof(u), "%d", (int)caller_uid);
   snprintf(g, sizeof(g), "%d", (int)caller_gid);
   snprintf(us, sizeof(us), "%lu", p->subid[0]);
   snprintf(uc, sizeof(uc), "%lu", p->subid[1]);
   snprintf(gs, sizeof(gs), "%lu", p->subid[2]);
   snprintf(gc, sizeof(gc), "%lu", p->subid[3]);
   if (!helper_detach_wait(release))
      _exit(EXIT_LAUNCH_FAILED);
   run_wait(uargv);
   run_wait(gargv);
   _exit(0);
}

/* The other namespaces: mount (+ IPC/UTS/network when asked). */
void mountns_enter(const struct plan *p)
{
   int flags = CLONE_NEWNS | (p->ipc_ns ? CLONE_NEWIPC : 0) | (p->hostname ? CLONE_NEWUTS : 0)
      | (p->net_ns ? CLONE_NEWNET : 0);
   D_("unshare(0x%x)", flags);
   Z_(unshare(flags));
}

/* A new user namespace with the identity map, the fakeroot map, or subordinate ranges mapped by
   newuidmap/newgidmap. */
void userns_enter(const struct plan *p)
{
   int flags = CLONE_NEWUSER;
   uid_t in_uid = p->fakeroot ? 0 : caller_uid;
   gid_t in_gid = p->fakeroot ? 0 : caller_gid;
   pid_t helper = 0, self = getpid();
   int pfd[2], status;
   if (p->subids) {
      Z_(pipe2(pfd, O_CLOEXEC));
      N_(helper = fork());
      if (helper == 0) {
         Z_(close(pfd[1]));
         subid_maps(p, self, pfd[0]);
      }
      Z_(close(pfd[0]));
   }
   D_("unshare(0x%x)", flags);
   Zx(EXIT_UNAVAILABLE, unshare(flags), "cannot create user namespace (unprivileged user namespaces disabled?)");
   if (p->subids) {
      T_(write(pfd[1], "x", 1) == 1);
      Z_(close(pfd[1]));
      T_(waitpid(helper, &status, 0) == helper);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
         FATAL(EXIT_UNAVAILABLE, "newuidmap/newgidmap failed to map subordinate ids %lu+%lu, %lu+%lu",
               p->subid[0], p->subid[1], p->subid[2], p->subid[3]);
      return;
   }
   write_file("/proc/self/setgroups", "deny");
   write_file("/proc/self/uid_map", "%d %d 1\n", (int)in_uid, (int)caller_uid);
   write_file("/proc/self/gid_map", "%d %d 1\n", (int)in_gid, (int)caller_gid);
   D_("mapped uid %d->%d gid %d->%d", (int)in_uid, (int)caller_uid, (int)in_gid, (int)caller_gid);
}

/* --pid: PID 1 of a new namespace cannot be us. Returns 0 in the child (which builds the container and becomes the
   init, or with --no-init execs the payload as PID 1), the child's pid in the parent (which becomes the monitor).
   *status_fd: in the child the write end, in the parent the read end of the pipe on which the init hands over the
   payload's raw wait status (init.c).
   The child dies with the monitor (PR_SET_PDEATHSIG, kept across the payload's exec: no setuid exec can clear it
   under NO_NEW_PRIVS): a `kill -9` of jsing then kills PID 1 of the namespace, so the kernel kills every process in
   it, the mount namespace goes and squashfuse exits (issue #17, fault 5; PidKillIT). A monitor that died before the
   prctl is seen on the pipe (its write end is the monitor's; getppid() is 0 in the new namespace). */
pid_t pidns_enter(int *status_fd)
{
   pid_t pid;
   int alive[2], status[2];
   Z_(unshare(CLONE_NEWPID));
   Z_(pipe2(alive, O_CLOEXEC));
   Z_(pipe2(status, O_CLOEXEC));
   N_(pid = fork());
   if (pid > 0) {
      Z_(close(alive[0]));   /* alive[1] stays open (close-on-exec) as long as the monitor lives */
      Z_(close(status[1]));
      *status_fd = status[0];
      return pid;
   }
   Z_(close(alive[1]));
   Z_(close(status[0]));
   *status_fd = status[1];
   Z_(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0));
   {
      struct pollfd pfd = { alive[0], POLLIN, 0 };
      int n;
      N_(n = poll(&pfd, 1, 0));
      if (n > 0)   /* POLLHUP: the monitor is already gone */
         _exit(EXIT_LAUNCH_FAILED);
   }
   Z_(close(alive[0]));
   return 0;
}

static pid_t monitored;

static void forward(int sig)
{
   /* In the terminal's foreground group, the terminal already signalled the child (as Apptainer's master does). */
   if (sig == SIGINT || sig == SIGQUIT || sig == SIGTSTP) {
      pid_t fg = tcgetpgrp(STDIN_FILENO);
      if (fg >= 0 && fg == getpgrp())
         return;
   }
   BEST_EFFORT(kill(monitored, sig));   /* ESRCH: it is gone, and we are about to know */
}

/* Forward signals to the child until it is gone; returns its wait status. status_fd (or -1): a pipe on which the
   child, an init, hands over its payload's raw wait status before it exits. */
int monitor_wait(pid_t child, int status_fd)
{
   int status, raw;
   struct sigaction sa;
   monitored = child;
   memset(&sa, 0, sizeof(sa));
   sa.sa_handler = forward;
   sa.sa_flags = SA_RESTART;
   for (int s = 1; s < NSIG; s++)
      if (s != SIGCHLD && s != SIGKILL && s != SIGSTOP && s != SIGSEGV && s != SIGBUS && s != SIGILL
          && s != SIGFPE)
         BEST_EFFORT(sigaction(s, &sa, NULL));   /* EINVAL for the signals glibc reserves */
   while (waitpid(child, &status, 0) < 0)
      T_(errno == EINTR);
   if (status_fd >= 0 && read(status_fd, &raw, sizeof(raw)) == (ssize_t)sizeof(raw))
      status = raw;   /* the init's payload's: an init leaves with an exit code even when its payload was killed */
   return status;
}

/* Leave with the child's wait status (re-raising its signal). */
void monitor_exit(int status)
{
   struct rlimit nocore = { 0, 0 };
   if (WIFEXITED(status))
      exit(WEXITSTATUS(status));
   BEST_EFFORT(setrlimit(RLIMIT_CORE, &nocore));   /* re-raise the child's signal; if we survive it, 128+N */
   BEST_EFFORT(signal(WTERMSIG(status), SIG_DFL));
   BEST_EFFORT(kill(getpid(), WTERMSIG(status)));
   exit(128 + WTERMSIG(status));
}

/* The --pid (and --enter) monitor: forward signals to the child, then leave with its status. */
void monitor(pid_t child, int status_fd)
{
   monitor_exit(monitor_wait(child, status_fd));
}

/* --check: one line per feature, like Charliecloud's ch-checkns. */
int check_all(void)
{
   char opts[128];
   int fd, ok = 1;
   uid_t u = getuid();
   gid_t g = getgid();
   if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
      printf("userns: FAILED: %s\nfuse: not checked\noverlayfs: not checked\n", strerror(errno));
      return EXIT_UNAVAILABLE;
   }
   write_file("/proc/self/setgroups", "deny");
   write_file("/proc/self/uid_map", "%d %d 1\n", (int)u, (int)u);
   write_file("/proc/self/gid_map", "%d %d 1\n", (int)g, (int)g);
   Z_(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
   Z_(mount("jsing-check", "/tmp", "tmpfs", 0, "size=1m"));
   printf("userns: ok\n");
   Z_(mkdir("/tmp/f", 0755));
   if ((fd = open("/dev/fuse", O_RDWR | O_CLOEXEC)) < 0) {
      printf("fuse: FAILED: /dev/fuse: %s\n", strerror(errno));
      ok = 0;
   } else {
      snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=%d,group_id=%d", fd, (int)u, (int)g);
      if (mount("jsing-check", "/tmp/f", "fuse", MS_NOSUID | MS_NODEV, opts) != 0) {
         printf("fuse: FAILED: mount: %s\n", strerror(errno));
         ok = 0;
      } else {
         printf("fuse: ok\n");
      }
      Z_(close(fd));
   }
   Z_(mkdir("/tmp/l", 0755));
   Z_(mkdir("/tmp/u", 0755));
   Z_(mkdir("/tmp/w", 0755));
   Z_(mkdir("/tmp/m", 0755));
   if (mount("overlay", "/tmp/m", "overlay", 0, "lowerdir=/tmp/l,upperdir=/tmp/u,workdir=/tmp/w,userxattr") != 0
       && mount("overlay", "/tmp/m", "overlay", 0, "lowerdir=/tmp/l,upperdir=/tmp/u,workdir=/tmp/w") != 0) {
      printf("overlayfs: FAILED: %s\n", strerror(errno));
      ok = 0;
   } else {
      printf("overlayfs: ok\n");
   }
   return ok ? 0 : EXIT_UNAVAILABLE;
}
