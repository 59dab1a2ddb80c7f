#!/usr/bin/env python3
"""The reference for bench/run's http_hello workload: an aiohttp server with one GET route
that answers 'Hello, World!', on uvloop (or plain asyncio), on 127.0.0.1 until killed.
It does the same work as asyncio4j's examples/.../HttpHello.java.

    http_hello_aiohttp.py PORT [uvloop|asyncio]      (uvloop by default)

Needs Debian's python3-aiohttp and python3-uvloop (bench/setup installs both).
"""

import sys

import aiohttp
from aiohttp import web


async def hello(request):
    return web.Response(text="Hello, World!")


def main(argv):
    port = int(argv[1])
    loop = argv[2] if len(argv) > 2 else "uvloop"
    if loop == "uvloop":
        import uvloop
        uvloop.install()
    elif loop != "asyncio":
        sys.exit(f"unknown loop {loop!r}: uvloop or asyncio")
    app = web.Application()
    app.router.add_get("/", hello)
    print(f"listening on 127.0.0.1:{port} (aiohttp {aiohttp.__version__} on {loop})", flush=True)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main(sys.argv)
