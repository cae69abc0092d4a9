/*
 * measure: runs a command and prints its wall time and peak RSS, for
 * the benchmarks: "measure: seconds=1.234 cpu_seconds=0.9
 * peak_rss_kb=5678 status=0" on stderr, the one line a benchmark reads
 * its figures from (the command's own lines, which may say seconds= too,
 * never start with "measure: "). The command's output is left alone.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec start, end;
	struct rusage ru;
	pid_t pid;
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: measure COMMAND [ARGS]\n");
		return 64;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	pid = fork();
	if (pid == -1) {
		perror("measure: fork");
		return 71;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror("measure: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) == -1) {
		perror("measure: wait4");
		return 71;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	fprintf(stderr, "measure: seconds=%.3f cpu_seconds=%.3f "
	    "peak_rss_kb=%ld status=%d\n",
	    (double)(end.tv_sec - start.tv_sec) +
	    (double)(end.tv_nsec - start.tv_nsec) / 1e9,
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
	    ru.ru_maxrss,
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
