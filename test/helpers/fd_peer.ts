/*
 * fd_peer - a python3 peer for descriptor-passing tests (socket.send_fds/recv_fds).
 * Its socket is inherited as descriptor 3, or made by "connect <path>". Commands:
 * "recv" answers "got <data byte in hex> <descriptor count> <content>", where content is
 * what the first received descriptor reads when it is a file; "send <path>" sends
 * a descriptor of that file with one NUL byte, as Postfix does; "plain <text>" sends
 * text with no descriptor; "read <n>" answers "data <hex>" for the next n bytes at most;
 * "reply <text>" writes text to the last received descriptor; "close" closes the socket.
 */
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { tempDir } from './diff.js';
import { PythonPeer } from './python.js';

export const FD_PEER = `
import os, socket, sys
sock = socket.socket(fileno=3) if len(sys.argv) < 2 else None
received = None
for line in sys.stdin:
    cmd, _, arg = line.rstrip('\\n').partition(' ')
    if cmd == 'connect':
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(arg)
        print('connected')
    elif cmd == 'recv':
        data, fds, flags, addr = socket.recv_fds(sock, 1, 4)
        content = b''
        if fds:
            received = fds[0]
            try:
                os.lseek(received, 0, os.SEEK_SET)
                content = os.read(received, 100)
            except OSError:
                pass
        print('got', data.hex(), len(fds), content.decode('latin1').strip())
    elif cmd == 'send':
        fd = os.open(arg, os.O_RDONLY)
        socket.send_fds(sock, [b'\\0'], [fd])
        os.close(fd)
        print('sent')
    elif cmd == 'plain':
        sock.send(arg.encode('latin1'))
        print('sent')
    elif cmd == 'read':
        print('data', sock.recv(int(arg)).hex())
    elif cmd == 'reply':
        os.write(received, arg.encode('latin1'))
        print('replied')
    elif cmd == 'close':
        sock.close()
        print('closed')
`;

/**
 * A python peer connected to a UNIX-domain net.Server of ours; conn is our end. With
 * pauseOnConnect, our end does not start reading.
 */
export async function peerConnection(t: ExecutionContext, pauseOnConnect = false): Promise<{ peer: PythonPeer; conn: Socket }> {
  const path = join(tempDir(t), 'sock');
  const server = createServer({ pauseOnConnect });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => server.close());
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const peer = new PythonPeer(t, FD_PEER, ['no-fd-3']);
  if (await peer.ask(`connect ${path}`) !== 'connected') throw new Error('python did not connect');
  const conn = await accepted;
  t.teardown(() => conn.destroy());
  return { peer, conn };
}
