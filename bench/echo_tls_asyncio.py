"""TLS echo server on CPython asyncio or uvloop: the reference of bench/run's echo_tls_* workloads.

Usage: python3 echo_tls_asyncio.py --loop asyncio|uvloop --cert CERT.pem --key KEY.pem --port P

The protocol mode of ../shared/bench/echo_asyncio.py (which has no TLS mode) behind
ssl=context: an asyncio.Protocol whose data_received() writes the data back, and stops
reading while the peer is not draining its writes. The server context is
ssl.create_default_context(ssl.Purpose.CLIENT_AUTH) with the certificate chain and key
given (PEM; bench/run makes them with openssl, from the same key as the PKCS12 that
asyncio4j's bench/echo-server --mode tls loads). Listens on 127.0.0.1 only, sets
TCP_NODELAY on every accepted socket, runs until killed. Prints "listening
127.0.0.1:PORT" once ready.
"""
import argparse
import asyncio
import socket
import ssl

BACKLOG = 1024   # as echo_asyncio.py


class EchoProtocol(asyncio.Protocol):
    transport = None

    def connection_made(self, transport):
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data):
        self.transport.write(data)

    # Flow control: stop reading while the peer is not draining our writes.
    def pause_writing(self):
        self.transport.pause_reading()

    def resume_writing(self):
        self.transport.resume_reading()

    def connection_lost(self, exc):
        self.transport = None


async def serve(context, port):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(EchoProtocol, "127.0.0.1", port, backlog=BACKLOG, ssl=context)
    bound = server.sockets[0].getsockname()[1]
    print(f"listening 127.0.0.1:{bound}", flush=True)
    async with server:
        await server.serve_forever()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    ap.add_argument("--cert", required=True, help="the server's certificate chain, PEM")
    ap.add_argument("--key", required=True, help="the server's private key, PEM")
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    if args.loop == "uvloop":
        import uvloop
        factory = uvloop.new_event_loop
    else:
        factory = asyncio.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(serve(context, args.port))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
