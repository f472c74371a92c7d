# Talks to memcached on 127.0.0.1:PORT: 50 sets, a multi-get, an incr,
# then "shutdown" (memcached -A), and prints each answer on one line.
import socket
import sys

f = socket.create_connection(("127.0.0.1", int(sys.argv[1]))).makefile("rwb")


def cmd(line, data=None, until=()):
    f.write(line.encode() + b"\r\n")
    if data is not None:
        f.write(data.encode() + b"\r\n")
    f.flush()
    out = []
    while True:
        answer = f.readline().decode().rstrip("\r\n")
        out.append(answer)
        if answer in until or not answer:
            break
    print(" | ".join(out))


for i in range(50):
    cmd("set k%d 0 0 %d" % (i, len(str(i * i))), str(i * i), until={"STORED"})
cmd("get k7 k49", until={"END"})
cmd("incr k3 5", until={"14"})
f.write(b"shutdown\r\n")
f.flush()
print(f.read().decode() or "closed")
