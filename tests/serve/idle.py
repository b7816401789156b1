#!/usr/bin/env python3
# Clients that connect and send nothing must not lock others out of
# docket serve. Prints one line per check, "ok ..." or "FAIL ...".
#   tests/serve/idle.py PORT
import socket
import sys
import time

port = int(sys.argv[1])


def get(src, timeout):
    """GET / from the address src; the status line, or why there is none."""
    try:
        s = socket.create_connection(('127.0.0.1', port), timeout=timeout,
                                     source_address=(src, 0))
        s.sendall(b'GET / HTTP/1.0\r\nHost: 127.0.0.1:%d\r\n\r\n' % port)
        line = s.makefile('rb').readline().decode('latin-1').strip()
        s.close()
        return line or 'closed'
    except OSError as e:
        return str(e)


def hold(src, n):
    """Opens n connections from src that send nothing."""
    held = []
    start = time.time()
    for _ in range(n):
        try:
            held.append(socket.create_connection(('127.0.0.1', port),
                                                 timeout=2,
                                                 source_address=(src, 0)))
        except OSError:
            break
    time.sleep(0.5)
    return held, start


def before_idle(start):
    """How long a request may take: at least 2 s, and while the held
    connections are not yet closed as idle (5 s after they were opened),
    which would let it through however the server is."""
    return max(2, start + 4.5 - time.time())


# One address holds all it can: a client at another address is still
# served at once.
held, start = hold('127.0.0.2', 300)
got = get('127.0.0.1', before_idle(start))
print('ok' if got.startswith('HTTP/1.1 200') else 'FAIL',
      'another address while one holds %d idle connections: %s' %
      (len(held), got))
for s in held:
    s.close()

# The same address: its idle connections are closed after 5 s (waited
# for up to 15 s), and a request is served meanwhile.
held, start = hold('127.0.0.1', 64)
got = get('127.0.0.1', before_idle(start))
print('ok' if got.startswith('HTTP/1.1 200') else 'FAIL',
      'the same address while it holds %d idle connections: %s' %
      (len(held), got))
start = time.time()
left = 0
for s in held:
    s.settimeout(max(0.1, start + 15 - time.time()))
    try:
        if s.recv(1) != b'':
            left += 1
    except OSError:
        left += 1
    s.close()
print('ok' if left == 0 else 'FAIL',
      'idle connections closed by the server: %d of %d left open after %.1f s'
      % (left, len(held), time.time() - start))
