/* jsing-starter: --cgroup DIR. Java (dev.jsing.runner.cgroup) creates one cgroup per hierarchy that the limits need
   (cgroup v2: one; cgroup v1: one per controller mount) inside the caller's delegated subtree and writes the limits;
   the starter moves itself into each before it forks the container's first process, so the payload and everything
   it starts are limited from the start. The squashfuse daemon, the network helper and the watchers are forked
   before and stay outside: they are not the container's processes and do not count against --pids-limit.

   The cgroup watcher is double-forked first (before any namespace and before the move). It waits until the starter's
   pid is gone (the payload has the starter's pid), then until each DIR has no process left (its children may outlive
   it), and removes the DIRs: an empty cgroup is removed with rmdir by its owner. If the starter fails before moving,
   the DIRs are empty and removed at once. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "starter.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* Whether DIR's cgroup.procs lists a process (an unreadable file counts as empty: nothing left to wait for). */
static bool populated(const char *dir)
{
   char buf[16];
   char *path = cat(dir, "/cgroup.procs");
   int fd = open(path, O_RDONLY | O_CLOEXEC);
   ssize_t n;
   free(path);
   if (fd < 0)
      return false;
   n = read(fd, buf, sizeof(buf));
   BEST_EFFORT(close(fd));   /* read-only, done with */
   return n > 0;
}

void cgroup_watcher_start(const struct plan *p)
{
   pid_t starter = getpid();
   int rel, pidfd;
   struct timespec tick = { 0, 100 * 1000 * 1000 };
   if (helper_fork(&rel)) {
      Z_(close(rel));   /* the watcher needs no release: it waits for our pid */
      return;
   }
   helper_stdio();
   fds_close_except(&rel, 1);
   pidfd = (int)syscall(SYS_pidfd_open, starter, 0);
   if (pidfd >= 0) {
      struct pollfd pfd = { pidfd, POLLIN, 0 };
      while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
         ;
   } else {
      while (kill(starter, 0) == 0)
         BEST_EFFORT(nanosleep(&tick, NULL));   /* no pidfd (kernel < 5.3): poll */
   }
   for (size_t i = 0; i < p->n_cgroups; i++) {
      while (populated(p->cgroups[i]))
         BEST_EFFORT(nanosleep(&tick, NULL));   /* cut short: we look sooner */
      D_("removing cgroup %s", p->cgroups[i]);
      BEST_EFFORT(rmdir(p->cgroups[i]));   /* gone already, or a process moved in by hand: left to its owner */
   }
   _exit(0);
}

/* Move the starter into each cgroup ("0": the writing process). */
void cgroup_enter(const struct plan *p)
{
   for (size_t i = 0; i < p->n_cgroups; i++) {
      char *procs = cat(p->cgroups[i], "/cgroup.procs");
      int fd;
      D_("joining cgroup %s", p->cgroups[i]);
      Nx(EXIT_ISOLATION_UNAVAILABLE, fd = open(procs, O_WRONLY | O_CLOEXEC), "cannot join cgroup %s", p->cgroups[i]);
      Tx(EXIT_ISOLATION_UNAVAILABLE, write(fd, "0", 1) == 1, "cannot join cgroup %s", p->cgroups[i]);
      Z_(close(fd));
      free(procs);
   }
}
