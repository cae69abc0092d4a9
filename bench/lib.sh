# Shared by the benchmarks: reading what bench/measure wrote, a line
# "seconds=S peak_rss_kb=K status=N" a run (a file may hold several runs,
# among other lines).

# The least seconds of the runs in a file: the least disturbed run.
seconds() { sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' "$1" | sort -n | head -n 1; }

# The largest peak RSS (kB) of the runs in a file.
peak_rss_kb() { sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p' "$1" | sort -n | tail -n 1; }
