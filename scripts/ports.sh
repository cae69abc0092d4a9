# Loopback port helpers, sourced by scripts/dovecot-local.sh and
# tests/e2e/lib.sh (POSIX sh).

# A port the kernel says is free on the loopback interface.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Polls until something listens on 127.0.0.1:$1, for at most 10 s.
wait_port() {
	python3 - "$1" <<'PY'
import socket, sys, time
deadline = time.time() + 10
while time.time() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.02)
sys.exit(1)
PY
}
