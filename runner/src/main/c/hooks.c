/* jsing-starter: --hook, the OCI hooks of CDI specs and --nvccli (createContainer, startContainer), run as the
   caller. A create hook runs once the container's mounts are made, before the container is entered: forked from
   the staging root, chrooted to the host's root (its path and its libraries are host paths), with the container's
   root as an inherited directory fd (/proc/self/fd/N: a create-rootfs hook gets it as its last argument, and the
   bundle's config.json names it as root.path). A start hook runs inside the container just before the payload. Each
   reads the OCI state on stdin; a hook that fails, or outlives its timeout, fails the launch (exit 71). */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "starter.h"

static long host_pid;   /* the container process's pid on the host (OCI state "pid"); 0: not known yet */

/* The pid of this process as the host's /proc names it (under --pid, getpid() is 1). */
static long pid_on_host(const char *host_proc)
{
   char buf[32];
   ssize_t n;
   if (host_proc != NULL && (n = readlink(host_proc, buf, sizeof(buf) - 1)) > 0) {
      buf[n] = '\0';
      return strtol(buf, NULL, 10);
   }
   return (long)getpid();
}

static void write_all(int fd, const char *s)
{
   size_t n = strlen(s);
   ssize_t w;
   while (n > 0) {
      w = write(fd, s, n);
      if (w < 0 && errno == EINTR)
         continue;
      if (w < 0 && errno == EPIPE)
         return;   /* a hook that does not read its state */
      N_(w);
      s += w;
      n -= (size_t)w;
   }
}

/* Runs one hook and waits for it (its timeout: SIGKILL and a failure). */
static void run_one(const struct hook *h, const char *state, int root_fd)
{
   int pfd[2], status;
   pid_t pid;
   size_t n = 0;
   char **argv, fdpath[64];
   struct timespec start, now, tick = { 0, 10 * 1000 * 1000 };
   while (h->argv[n] != NULL)
      n++;
   P_(argv = calloc(n + 2, sizeof(char *)));
   memcpy(argv, h->argv, n * sizeof(char *));
   if (h->when == HOOK_CREATE_ROOTFS) {
      snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", root_fd);
      argv[n] = fdpath;
   }
   D_("hook %s (%s)", h->path, h->when == HOOK_START ? "start" : "create");
   Z_(pipe2(pfd, O_CLOEXEC));
   N_(pid = fork());
   if (pid == 0) {
      if (h->when != HOOK_START) {
         Z_(chroot("/oldroot"));
         Z_(chdir("/"));
      }
      N_(dup2(pfd[0], 0));
      Z_(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
      execve(h->path, argv, h->envp);
      FATAL_ERRNO(EXIT_LAUNCH_FAILED, "cannot run hook %s", h->path);
   }
   Z_(close(pfd[0]));
   write_all(pfd[1], state);
   Z_(close(pfd[1]));
   Z_(clock_gettime(CLOCK_MONOTONIC, &start));
   for (;;) {
      pid_t r = waitpid(pid, &status, h->timeout_s > 0 ? WNOHANG : 0);
      if (r == pid)
         break;
      if (r < 0 && errno == EINTR)
         continue;
      N_(r);
      Z_(clock_gettime(CLOCK_MONOTONIC, &now));
      if (now.tv_sec - start.tv_sec >= h->timeout_s) {
         Z_(kill(pid, SIGKILL));
         T_(waitpid(pid, &status, 0) == pid);
         FATAL(EXIT_LAUNCH_FAILED, "hook %s did not finish within its timeout (%ld s)", h->path, h->timeout_s);
      }
      BEST_EFFORT(nanosleep(&tick, NULL));   /* cut short by a signal: we just poll sooner */
   }
   if (WIFSIGNALED(status))
      FATAL(EXIT_LAUNCH_FAILED, "hook %s was killed by signal %d", h->path, WTERMSIG(status));
   if (WEXITSTATUS(status) != 0)
      FATAL(EXIT_LAUNCH_FAILED, "hook %s failed with exit status %d", h->path, WEXITSTATUS(status));
}

void hooks_run(const struct plan *p, bool create, const char *root)
{
   char state[PATH_MAX + 256], json[128];
   int root_fd = -1, bundle_fd = -1, fd;
   struct sigaction dfl, old;
   bool any = false;
   for (size_t i = 0; i < p->n_hooks; i++)
      any |= (p->hooks[i].when == HOOK_START) != create;
   if (!any)
      return;
   memset(&dfl, 0, sizeof(dfl));
   dfl.sa_handler = SIG_DFL;
   Z_(sigaction(SIGCHLD, &dfl, &old));   /* an inherited SIG_IGN would make the hooks' status unreadable */
   if (create) {
      host_pid = pid_on_host("/oldroot/proc/self");
      /* Not O_CLOEXEC: the hooks inherit them (their /proc/self/fd/N), and we close them after the last hook. */
      N_(root_fd = open(root, O_PATH | O_DIRECTORY));
      Z_(mkdir("/hook-bundle", 0755));
      N_(fd = open("/hook-bundle/config.json", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644));
      snprintf(json, sizeof(json), "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"/proc/self/fd/%d\"}}\n", root_fd);
      write_all(fd, json);
      Z_(close(fd));
      N_(bundle_fd = open("/hook-bundle", O_PATH | O_DIRECTORY));
      snprintf(state, sizeof(state), "{\"ociVersion\":\"1.0.2\",\"id\":\"jsing-%ld\",\"status\":\"creating\","
               "\"pid\":%ld,\"bundle\":\"/proc/self/fd/%d\",\"annotations\":{}}", host_pid, host_pid, bundle_fd);
   } else {
      if (host_pid == 0)
         host_pid = (long)getpid();
      snprintf(state, sizeof(state), "{\"ociVersion\":\"1.0.2\",\"id\":\"jsing-%ld\",\"status\":\"created\","
               "\"pid\":%ld,\"bundle\":\"/\",\"annotations\":{}}", host_pid, host_pid);
   }
   for (size_t i = 0; i < p->n_hooks; i++)
      if ((p->hooks[i].when == HOOK_START) != create)
         run_one(&p->hooks[i], state, root_fd);
   if (root_fd >= 0)
      Z_(close(root_fd));
   if (bundle_fd >= 0)
      Z_(close(bundle_fd));
   Z_(sigaction(SIGCHLD, &old, NULL));
}
