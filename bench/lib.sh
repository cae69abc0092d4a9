# Shared by the benchmarks: reading what bench/measure wrote, a line
# "measure: seconds=S cpu_seconds=C peak_rss_kb=K status=N" a run. A
# file may hold several runs among other lines (tocsin's own progress
# says seconds= too): only measure's own lines count.

# The key must follow a space: "seconds" is not the end of "cpu_seconds"
# (a greedy match of ".*seconds=" took the CPU time for the wall time).
measured() { sed -n "s/^measure: \(.* \)\{0,1\}$1=\([0-9.]*\).*/\2/p" "$2"; }

# The least seconds of the runs in a file: the least disturbed run.
seconds() { measured seconds "$1" | sort -n | head -n 1; }

# The least CPU seconds (user and system) of the runs in a file.
cpu_seconds() { measured cpu_seconds "$1" | sort -n | head -n 1; }

# The largest peak RSS (kB) of the runs in a file.
peak_rss_kb() { measured peak_rss_kb "$1" | sort -n | tail -n 1; }
