/* jsing-starter: the init of a new PID namespace (--pid, unless --no-init), detached instances (--instance) and
   entering a running instance (--enter).

   The init is PID 1 of the container's PID namespace: it forks the payload (PID 2), forwards the signals it is sent to
   it, reaps every process that the kernel reparents to it (orphans of the payload's children), and leaves with the
   payload's status, which it also hands to the monitor outside on a pipe (the raw wait status, so that the monitor
   re-raises a fatal signal exactly). PID 1 of a namespace ignores every signal it has no handler for, so a payload
   that is PID 1 itself (--no-init) does not die of SIGTERM; under the init it does.

   An instance's init (--instance) stays when the payload (the startscript) exits: the container lives until it is
   stopped. A termination signal (SIGTERM, SIGINT, SIGHUP, SIGQUIT) is sent on to every process of the namespace, and
   the init leaves once none is left. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "starter.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static volatile pid_t payload;
static volatile sig_atomic_t stopping;
static bool stays;

static bool is_stop_signal(int sig)
{
   return sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT;
}

static void init_signal(int sig, siginfo_t *info, void *ctx)
{
   (void)ctx;
   if (sig == SIGCHLD)
      return;   /* only wakes the loop */
   /* A signal the terminal sent to our process group (si_code SI_KERNEL) reached the payload too: it shares it. */
   if (info != NULL && info->si_code == SI_KERNEL)
      return;
   if (stays && is_stop_signal(sig)) {
      stopping = 1;
      BEST_EFFORT(kill(-1, sig));   /* every process of the namespace but us; ESRCH: none left */
      return;
   }
   if (payload > 0)
      BEST_EFFORT(kill(payload, sig));   /* ESRCH: it is gone, and the loop is about to know */
}

/* Handlers for every signal that can be caught, except the faults (a fault of the init is a bug: die of it). */
static void init_handlers(void)
{
   struct sigaction sa;
   memset(&sa, 0, sizeof(sa));
   sa.sa_sigaction = init_signal;
   sa.sa_flags = SA_SIGINFO | SA_RESTART;
   Z_(sigfillset(&sa.sa_mask));
   for (int s = 1; s < NSIG; s++)
      if (s != SIGKILL && s != SIGSTOP && s != SIGSEGV && s != SIGBUS && s != SIGILL && s != SIGFPE)
         BEST_EFFORT(sigaction(s, &sa, NULL));   /* EINVAL for the signals glibc reserves */
}

/* The container's stdio once an instance is up: /dev/null and the log files. */
static void instance_stdio(const struct plan *p)
{
   int null;
   N_(null = open("/dev/null", O_RDONLY | O_CLOEXEC));
   T_(dup2(null, 0) == 0);
   T_(dup2(p->log_out, 1) == 1);
   T_(dup2(p->log_err, 2) == 2);
   Z_(close(null));
}

void init_run(const struct plan *p, int status_fd)
{
   sigset_t all, old;
   int status = 0, st;
   bool done = false;
   pid_t w;
   stays = p->instance;
   Z_(prctl(PR_SET_NAME, "jsing-init", 0, 0, 0));
   Z_(sigfillset(&all));
   Z_(sigprocmask(SIG_SETMASK, &all, &old));   /* no signal is lost between the fork and the handlers */
   if (p->instance)
      instance_stdio(p);
   if (p->argv[0] != NULL) {
      pid_t pid;
      N_(pid = fork());
      if (pid == 0) {
         Z_(sigprocmask(SIG_SETMASK, &old, NULL));   /* dispositions stay as inherited */
         if (status_fd >= 0)
            Z_(close(status_fd));
         if (p->ready_fd >= 0)
            Z_(close(p->ready_fd));
         exec_payload(p->argv);
      }
      payload = pid;
   }
   init_handlers();
   if (p->ready_fd >= 0) {
      T_(write(p->ready_fd, "ready\n", 6) == 6);
      Z_(close(p->ready_fd));
   }
   D_("init: payload %d%s", (int)payload, stays ? ", staying" : "");
   for (;;) {
      while ((w = waitpid(-1, &st, WNOHANG)) > 0)
         if (w == payload) {
            status = st;
            done = true;
         }
      T_(w == 0 || errno == ECHILD);
      if (!stays && done)
         break;
      if (stays && stopping && w < 0)
         break;   /* stopped, and nothing is left */
      BEST_EFFORT(sigsuspend(&old));   /* always -1/EINTR: a handler ran (SIGCHLD among them) */
   }
   if (status_fd >= 0) {
      T_(write(status_fd, &status, sizeof(status)) == (ssize_t)sizeof(status));
      Z_(close(status_fd));
   }
   if (stays || WIFEXITED(status))
      exit(stays ? 0 : WEXITSTATUS(status));
   exit(128 + WTERMSIG(status));   /* PID 1 cannot re-raise it on itself; the monitor does, from the pipe */
}

/* --instance: the process that started us waits until the instance is up, prints "INIT_PID MONITOR_PID" and exits
   0; or, when the instance fails to come up, exits with its status (its error line is already on our stderr). The
   instance goes on detached, in a session of its own. Returns in the detached process. */
void instance_detach(struct plan *p)
{
   int pfd[2], status, null;
   pid_t d;
   char buf[128];
   size_t len = 0;
   ssize_t n;
   long init_pid = 0;
   bool ready = false;
   Nx(EXIT_CANT_CREATE, p->log_out = open(p->log_out_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                                          0600), "cannot create log file %s", p->log_out_path);
   Nx(EXIT_CANT_CREATE, p->log_err = open(p->log_err_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                                          0600), "cannot create log file %s", p->log_err_path);
   Z_(pipe2(pfd, O_CLOEXEC));
   N_(d = fork());
   if (d == 0) {
      fatal_owner_set();
      Z_(close(pfd[0]));
      N_(setsid());
      N_(null = open("/dev/null", O_RDONLY | O_CLOEXEC));
      T_(dup2(null, 0) == 0);
      T_(dup2(p->log_out, 1) == 1);   /* stderr stays ours until the instance is up: errors reach the caller */
      Z_(close(null));
      p->ready_fd = pfd[1];
      return;
   }
   Z_(close(pfd[1]));
   /* The jsing that runs us records the instance once we report it: a Ctrl-C or a SIGTERM now must not leave an
      instance that nobody recorded, so we wait for the answer whatever happens, and so does jsing (it then stops
      the instance it was told to give up). */
   T_(signal(SIGINT, SIG_IGN) != SIG_ERR);
   T_(signal(SIGTERM, SIG_IGN) != SIG_ERR);
   T_(signal(SIGHUP, SIG_IGN) != SIG_ERR);
   T_(signal(SIGQUIT, SIG_IGN) != SIG_ERR);
   while (!ready || init_pid == 0) {
      char *line;
      if ((n = read(pfd[0], buf + len, sizeof(buf) - 1 - len)) < 0 && errno == EINTR)
         continue;
      if (n <= 0)
         break;
      len += (size_t)n;
      buf[len] = '\0';
      ready = strstr(buf, "ready\n") != NULL;
      if ((line = strstr(buf, "pid ")) != NULL && strchr(line, '\n') != NULL)
         init_pid = atol(line + 4);
      if (len >= sizeof(buf) - 1)
         break;
   }
   if (ready && init_pid > 0) {
      printf("%ld %d\n", init_pid, (int)d);
      exit(0);
   }
   while (waitpid(d, &status, 0) < 0)
      T_(errno == EINTR);
   exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/* In the monitor of an instance: tell the waiting starter the init's pid, and let go of its stderr. */
void instance_monitor_ready(const struct plan *p, pid_t init)
{
   char line[32];
   int len = snprintf(line, sizeof(line), "pid %d\n", (int)init);
   T_(write(p->ready_fd, line, len) == len);
   Z_(close(p->ready_fd));
   T_(dup2(p->log_err, 2) == 2);
}

/* The start time of pid (field 22 of /proc/PID/stat, clock ticks since boot), or 0. */
static unsigned long long start_time(pid_t pid)
{
   char path[64], buf[1024], *s;
   int fd;
   ssize_t n;
   unsigned long long t = 0;
   snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
   if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
      return 0;
   n = read(fd, buf, sizeof(buf) - 1);
   BEST_EFFORT(close(fd));   /* read-only, done with */
   if (n <= 0)
      return 0;
   buf[n] = '\0';
   if ((s = strrchr(buf, ')')) == NULL)
      return 0;
   for (int field = 2; field < 22 && s != NULL; field++)
      s = strchr(s + 1, ' ');
   if (s != NULL)
      t = strtoull(s + 1, NULL, 10);
   return t;
}

/* --enter PID START: into the namespaces and root of a running instance's init (PID, started at START), then fork
   (a PID namespace takes effect for children) and exec the payload there; we stay as its monitor. Never returns. */
void instance_enter(const struct plan *p)
{
   static const struct { const char *name; int flag; } ns[] = {
      { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS }, { "pid", CLONE_NEWPID }, { "ipc", CLONE_NEWIPC },
      { "uts", CLONE_NEWUTS }, { "net", CLONE_NEWNET }, { "cgroup", CLONE_NEWCGROUP },
   };
   int fds[sizeof(ns) / sizeof(ns[0])], root_fd, pidfd, alive[2];
   char path[64];
   pid_t child;
   N_(pidfd = (int)syscall(SYS_pidfd_open, p->enter_pid, 0));
   if (start_time(p->enter_pid) != p->enter_start)
      FATAL(EXIT_LAUNCH_FAILED, "instance process %d is gone", (int)p->enter_pid);
   for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
      struct stat theirs, ours;
      char self[64];
      snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)p->enter_pid, ns[i].name);
      snprintf(self, sizeof(self), "/proc/self/ns/%s", ns[i].name);
      Zx(EXIT_LAUNCH_FAILED, stat(path, &theirs), "instance process %d: %s", (int)p->enter_pid, path);
      Z_(stat(self, &ours));
      fds[i] = -1;
      if (theirs.st_ino != ours.st_ino || theirs.st_dev != ours.st_dev)
         Nx(EXIT_LAUNCH_FAILED, fds[i] = open(path, O_RDONLY | O_CLOEXEC), "instance process %d: %s",
            (int)p->enter_pid, path);
   }
   snprintf(path, sizeof(path), "/proc/%d/root", (int)p->enter_pid);
   Nx(EXIT_LAUNCH_FAILED, root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC), "instance process %d: root",
      (int)p->enter_pid);
   /* Everything we opened is the instance's: its pid was not reused meanwhile (signal 0 on the pidfd). */
   Zx(EXIT_LAUNCH_FAILED, (int)syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0), "instance process %d is gone",
      (int)p->enter_pid);
   if (start_time(p->enter_pid) != p->enter_start)
      FATAL(EXIT_LAUNCH_FAILED, "instance process %d is gone", (int)p->enter_pid);
   Z_(close(pidfd));
   /* The user namespace first: it gives us the capabilities over the others, which it owns. */
   for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
      if (fds[i] >= 0) {
         D_("setns(%s) of instance process %d", ns[i].name, (int)p->enter_pid);
         Zx(EXIT_LAUNCH_FAILED, setns(fds[i], ns[i].flag), "setns(%s) of instance process %d", ns[i].name,
            (int)p->enter_pid);
         Z_(close(fds[i]));
      }
   Z_(fchdir(root_fd));
   Z_(chroot("."));
   Z_(chdir("/"));
   Z_(close(root_fd));
   Z_(pipe2(alive, O_CLOEXEC));
   N_(child = fork());
   if (child > 0) {
      Z_(close(alive[0]));
      monitor(child, -1);
   }
   Z_(close(alive[1]));
   Z_(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0));   /* dies with the monitor, as under --pid */
   {
      struct pollfd pfd = { alive[0], POLLIN, 0 };
      int n;
      N_(n = poll(&pfd, 1, 0));
      if (n > 0)   /* POLLHUP: the monitor is already gone */
         _exit(EXIT_LAUNCH_FAILED);
   }
   Z_(close(alive[0]));
   enter_cwd(p);
   Z_(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
   exec_payload(p->argv);
}
