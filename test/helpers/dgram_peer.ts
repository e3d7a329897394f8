/*
 * dgram_peer - a python3 peer for UNIX-domain datagram tests.
 * "bind <path>" answers "bound"; "recv" answers the next datagram in hex;
 * "send <path> <text>" sends text to path and answers "sent".
 */
export const DGRAM_PEER = `
import socket, sys
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
for line in sys.stdin:
    cmd, _, arg = line.rstrip('\\n').partition(' ')
    if cmd == 'bind':
        sock.bind(arg)
        print('bound')
    elif cmd == 'recv':
        print(sock.recv(65536).hex())
    elif cmd == 'send':
        path, _, text = arg.partition(' ')
        sock.sendto(text.encode('latin1'), path)
        print('sent')
`;
