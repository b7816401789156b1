#!/usr/bin/env python3
# Event streams whose page was closed (a page reloaded again and again)
# must not hold their connections and threads until the next ping: the
# server notices the closed socket soon. Prints one line per check,
# "ok ..." or "FAIL ...".
#   tests/serve/streams.py PORT PID
import socket
import sys
import time

port, pid = int(sys.argv[1]), int(sys.argv[2])
SRC = '127.0.0.3'      # an address of its own: its own connection limit
N = 200                # more than the server lets one address hold (128)


def threads():
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('Threads:'):
                return int(line.split()[1])
    return -1


def request(path, timeout):
    s = socket.create_connection(('127.0.0.1', port), timeout=timeout,
                                 source_address=(SRC, 0))
    s.sendall(b'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n' %
              (path.encode(), port))
    return s


def first_event(s):
    """Reads up to the end of the first event; the status line or why not."""
    data = b''
    try:
        while b'\r\n\r\n' not in data or \
                b'\n\n' not in data.split(b'\r\n\r\n', 1)[1]:
            got = s.recv(4096)
            if not got:
                break
            data += got
    except OSError as e:
        return str(e)
    line = data.split(b'\r\n', 1)[0].decode('latin-1')
    if b'event: build' not in data:
        return 'no event: ' + (line or 'closed')
    return line


base = threads()
# A page is opened and closed every 10 ms: the stream's first event is
# read, then the connection is dropped, as a closed tab does.
refused = []
start = time.time()
for i in range(N):
    try:
        s = request('/__docket/events', 10)
        got = first_event(s)
        s.close()
    except OSError as e:
        got = str(e)
    if not got.startswith('HTTP/1.1 200'):
        refused.append(got)
    time.sleep(0.01)
print('ok' if not refused else 'FAIL',
      '%d event streams opened and closed in %.1f s: %d refused%s' %
      (N, time.time() - start, len(refused),
       ' (%s)' % refused[0] if refused else ''))

# The same address is served at once.
try:
    s = request('/', 10)
    line = s.makefile('rb').readline().decode('latin-1').strip()
    s.close()
except OSError as e:
    line = str(e)
print('ok' if line.startswith('HTTP/1.1 200') else 'FAIL',
      'a page from the same address after them: %s' % (line or 'closed'))

# Their threads end soon (each stream looks every 250 ms), before a ping
# would tell: waited for up to 10 s, less than the 15 s from the last
# stream opened to its first ping.
start = time.time()
while threads() > base and time.time() < start + 10:
    time.sleep(0.05)
now = threads()
print('ok' if now <= base else 'FAIL',
      'server threads %d before, %d after %.1f s' %
      (base, now, time.time() - start))
