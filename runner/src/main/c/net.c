/* jsing-starter: --net (a new network namespace: only lo, up) and --slirp PROGRAM (slirp4netns gives that namespace a
   user-mode network, tap0 10.0.2.100/24, gateway 10.0.2.2 = the host's loopback, DNS 10.0.2.3; --portmap forwards a
   host port to the container through slirp4netns's API socket).

   The network helper is double-forked before any namespace, so it and slirp4netns live in the host's user, mount and
   network namespaces and outside the container's cgroups. It waits until the starter has unshared its network
   namespace, runs `slirp4netns --configure --userns-path=/proc/S/ns/user --netns-type=path /proc/S/ns/net tap0`
   (slirp4netns joins our user namespace, which the caller owns, to open the tap device), forwards the ports, and
   answers one line on a pipe: "ok", or what failed. The starter does not exec the payload before it has read "ok".
   The helper then waits until no process is left in the container's network namespace and closes slirp4netns's
   --exit-fd: nothing outlives the container. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "starter.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* In the helper: tell the starter what failed (one line), and exit. */
static void report_fail(int fd, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void report_fail(int fd, const char *fmt, ...)
{
   char buf[512];
   va_list ap;
   int n;
   va_start(ap, fmt);
   n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
   va_end(ap);
   if (n < 0)
      n = 0;
   if (n > (int)sizeof(buf) - 2)
      n = (int)sizeof(buf) - 2;
   buf[n++] = '\n';
   BEST_EFFORT(write(fd, buf, (size_t)n));   /* the starter reports a lost line as a failed helper */
   _exit(EXIT_ISOLATION_UNAVAILABLE);
}

/* One add_hostfwd request on slirp4netns's API socket; NULL, or the error slirp4netns answered. */
static const char *hostfwd(const char *sock, const struct portmap *m)
{
   static char reply[512];
   char req[256];
   struct sockaddr_un sa;
   int fd, n, len = 0;
   memset(&sa, 0, sizeof(sa));
   sa.sun_family = AF_UNIX;
   snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
   n = snprintf(req, sizeof(req), "{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"%s\", "
                "\"host_addr\": \"0.0.0.0\", \"host_port\": %d, \"guest_addr\": \"10.0.2.100\", "
                "\"guest_port\": %d}}", m->proto, m->host_port, m->container_port);
   if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0
       || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || write(fd, req, (size_t)n) != n)
      return strerror(errno);
   BEST_EFFORT(shutdown(fd, SHUT_WR));   /* slirp4netns answers on the first request anyway */
   while (len < (int)sizeof(reply) - 1 && (n = (int)read(fd, reply + len, sizeof(reply) - 1 - (size_t)len)) > 0)
      len += n;
   reply[len] = '\0';
   BEST_EFFORT(close(fd));   /* done with */
   if (strstr(reply, "\"return\"") != NULL)
      return NULL;
   return len > 0 ? reply : "no answer";
}

static void slirp_run(const struct plan *p, pid_t starter, int report)
{
   char userns[64], netns[64], ready_arg[32], exit_arg[32], sock_arg[128], dir[] = "/tmp/jsing-slirp-XXXXXX";
   char sock[96] = "";
   const char *argv[16];
   int ready[2], ex[2], pidfd, status, k = 0;
   struct stat ns;
   struct timespec tick = { 0, 100 * 1000 * 1000 };
   pid_t pid;
   char c;
   snprintf(userns, sizeof(userns), "--userns-path=/proc/%d/ns/user", (int)starter);
   snprintf(netns, sizeof(netns), "/proc/%d/ns/net", (int)starter);
   if (stat(netns, &ns) != 0)
      report_fail(report, "network namespace of %d: %s", (int)starter, strerror(errno));
   pidfd = (int)syscall(SYS_pidfd_open, starter, 0);
   if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(ex, O_CLOEXEC) != 0)
      report_fail(report, "pipe: %s", strerror(errno));
   if (p->n_portmaps > 0) {
      if (mkdtemp(dir) == NULL)
         report_fail(report, "cannot create %s: %s", dir, strerror(errno));
      snprintf(sock, sizeof(sock), "%s/api.sock", dir);
      snprintf(sock_arg, sizeof(sock_arg), "--api-socket=%s", sock);
   }
   snprintf(ready_arg, sizeof(ready_arg), "--ready-fd=%d", ready[1]);
   snprintf(exit_arg, sizeof(exit_arg), "--exit-fd=%d", ex[0]);
   argv[k++] = p->slirp;
   argv[k++] = "--configure";
   argv[k++] = "--mtu=65520";
   argv[k++] = ready_arg;
   argv[k++] = exit_arg;
   argv[k++] = userns;
   argv[k++] = "--netns-type=path";
   if (sock[0] != '\0')
      argv[k++] = sock_arg;
   argv[k++] = netns;
   argv[k++] = "tap0";
   argv[k] = NULL;
   D_("exec %s %s ... %s tap0", p->slirp, userns, netns);
   if ((pid = fork()) < 0)
      report_fail(report, "fork: %s", strerror(errno));
   if (pid == 0) {
      if (fcntl(ready[1], F_SETFD, 0) != 0 || fcntl(ex[0], F_SETFD, 0) != 0)
         _exit(EXIT_ISOLATION_UNAVAILABLE);
      BEST_EFFORT(execv(p->slirp, (char **)argv));   /* returns only on failure: reported as status 127 */
      _exit(127);
   }
   BEST_EFFORT(close(ready[1]));   /* the child's now */
   BEST_EFFORT(close(ex[0]));
   if (read(ready[0], &c, 1) != 1) {
      BEST_EFFORT(waitpid(pid, &status, 0));   /* for the status in the message; it is gone */
      if (sock[0] != '\0')
         BEST_EFFORT(rmdir(dir));   /* empty: slirp4netns never started */
      report_fail(report, "%s failed before the network was up (exit status %d%s)", p->slirp,
                  WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
                  WIFEXITED(status) && WEXITSTATUS(status) == 127 ? ": cannot execute it" : "");
   }
   BEST_EFFORT(close(ready[0]));   /* done with */
   for (size_t i = 0; i < p->n_portmaps; i++) {
      const char *err = hostfwd(sock, &p->portmaps[i]);
      if (err != NULL) {
         BEST_EFFORT(kill(pid, SIGKILL));   /* ends it; the container is not started */
         BEST_EFFORT(waitpid(pid, &status, 0));
         BEST_EFFORT(unlink(sock));
         BEST_EFFORT(rmdir(dir));
         report_fail(report, "--network-args portmap=%d:%d/%s: %s", p->portmaps[i].host_port,
                     p->portmaps[i].container_port, p->portmaps[i].proto, err);
      }
   }
   T_(write(report, "ok\n", 3) == 3);
   Z_(close(report));
   if (pidfd >= 0) {
      struct pollfd pfd = { pidfd, POLLIN, 0 };
      while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
         ;
   }
   while (ns_in_use("net", ns.st_dev, ns.st_ino, 0))
      BEST_EFFORT(nanosleep(&tick, NULL));   /* cut short: we look sooner */
   D_("network namespace gone, ending %s", p->slirp);
   BEST_EFFORT(close(ex[1]));   /* slirp4netns's --exit-fd: it exits */
   BEST_EFFORT(waitpid(pid, &status, 0));   /* its status no longer matters */
   if (sock[0] != '\0') {
      BEST_EFFORT(unlink(sock));   /* slirp4netns may have removed it */
      BEST_EFFORT(rmdir(dir));
   }
   _exit(0);
}

/* Fork the network helper (see the top of this file). *go_fd: write a byte once the network namespace exists;
   *ready_fd: read the helper's answer. */
void net_helper_start(const struct plan *p, int *go_fd, int *ready_fd)
{
   pid_t starter = getpid();
   int rel, rp[2], keep[2];
   Z_(pipe2(rp, O_CLOEXEC));
   if (helper_fork(&rel)) {
      Z_(close(rp[1]));
      *go_fd = rel;
      *ready_fd = rp[0];
      return;
   }
   Z_(close(rp[0]));
   helper_stdio();
   keep[0] = rel;
   keep[1] = rp[1];
   fds_close_except(keep, 2);
   Z_(fcntl(rel, F_SETFD, FD_CLOEXEC));   /* fds_close_except cleared it: slirp4netns must not inherit them */
   Z_(fcntl(rp[1], F_SETFD, FD_CLOEXEC));
   if (!helper_detach_wait(rel))
      _exit(0);   /* the starter failed before unsharing */
   Z_(close(rel));
   slirp_run(p, starter, rp[1]);
}

/* lo up in the new network namespace (a fresh one has it down). */
static void lo_up(void)
{
   struct ifreq ifr;
   int s;
   memset(&ifr, 0, sizeof(ifr));
   snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
   N_(s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
   Z_(ioctl(s, SIOCGIFFLAGS, &ifr));
   ifr.ifr_flags |= IFF_UP;
   Z_(ioctl(s, SIOCSIFFLAGS, &ifr));
   Z_(close(s));
}

/* Right after unshare(CLONE_NEWNET): lo up; with --slirp, release the helper and wait for its answer. */
void net_enter(const struct plan *p, int go_fd, int ready_fd)
{
   char line[512];
   ssize_t n;
   size_t len = 0;
   lo_up();
   D_("network namespace: lo up");
   if (p->slirp == NULL)
      return;
   T_(write(go_fd, "x", 1) == 1);
   Z_(close(go_fd));
   while (len < sizeof(line) - 1 && (n = read(ready_fd, line + len, sizeof(line) - 1 - len)) != 0) {
      if (n < 0 && errno == EINTR)
         continue;
      if (n < 0)
         FATAL_ERRNO(EXIT_ISOLATION_UNAVAILABLE, "network helper");
      len += (size_t)n;
      if (line[len - 1] == '\n')
         break;
   }
   line[len] = '\0';
   Z_(close(ready_fd));
   if (len > 0 && line[len - 1] == '\n')
      line[--len] = '\0';
   if (strcmp(line, "ok") != 0)
      FATAL(EXIT_ISOLATION_UNAVAILABLE, "--network slirp: %s", len > 0 ? line : "the network helper failed");
   D_("slirp4netns is up");
}
