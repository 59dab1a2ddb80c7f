#!/usr/bin/env python3
"""Subprocess workloads for bench/run, on CPython asyncio or uvloop; the Java side is
org.asyncio4j.bench.SubprocessBench (same counts, same shapes).

    subprocess_bench.py asyncio|uvloop [subprocess_spawn] [subprocess_pipe]

subprocess_spawn: `true` started, run to exit and collected 1,000 times, 10 at a time
                  (10 workers, 100 each, after a warm-up of 100); processes/s.
subprocess_pipe:  256 MiB written to `cat` in 64 KiB chunks (write + drain) while another
                  task reads its stdout with read(65536); MB/s (10^6 bytes), the
                  median of five runs after six warm-up runs of the same.
Prints `name value unit` lines.
"""
import asyncio
import sys
import time

SPAWNS = 1000
CONCURRENCY = 10
PIPE_BYTES = 256 << 20
CHUNK = 64 << 10
PIPE_WARMUPS = 6  # as the JVM side's, whose JIT compiles the I/O path meanwhile
PIPE_RUNS = 5  # measured runs; the median is the figure


async def spawn(n):
    async def worker(count):
        for _ in range(count):
            p = await asyncio.create_subprocess_exec("true")
            await p.wait()
    await asyncio.gather(*(worker(n // CONCURRENCY) for _ in range(CONCURRENCY)))


async def pipe(total):
    p = await asyncio.create_subprocess_exec("cat", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)

    async def reader():
        got = 0
        while True:
            data = await p.stdout.read(65536)
            if not data:
                return got
            got += len(data)

    r = asyncio.create_task(reader())
    chunk = bytes(range(256)) * (CHUNK // 256)
    for _ in range(total // CHUNK):
        p.stdin.write(chunk)
        await p.stdin.drain()
    p.stdin.close()
    got = await r
    await p.wait()
    assert got == total, (got, total)


async def main(names):
    for name in names:
        if name == "subprocess_spawn":
            await spawn(100)
            t0 = time.perf_counter()
            await spawn(SPAWNS)
            print(f"subprocess_spawn {SPAWNS / (time.perf_counter() - t0):.1f} processes/s", flush=True)
        elif name == "subprocess_pipe":
            for _ in range(PIPE_WARMUPS):
                await pipe(PIPE_BYTES)
            rates = []
            for _ in range(PIPE_RUNS):
                t0 = time.perf_counter()
                await pipe(PIPE_BYTES)
                rates.append(PIPE_BYTES / 1e6 / (time.perf_counter() - t0))
            rates.sort()
            print(f"subprocess_pipe {rates[PIPE_RUNS // 2]:.1f} MB/s", flush=True)
        else:
            raise SystemExit(f"unknown workload {name}")


if __name__ == "__main__":
    loop_name = sys.argv[1]
    wanted = sys.argv[2:] or ["subprocess_spawn", "subprocess_pipe"]
    if loop_name == "uvloop":
        import uvloop
        uvloop.install()
    elif loop_name != "asyncio":
        raise SystemExit(f"usage: {sys.argv[0]} asyncio|uvloop [workload...]")
    asyncio.run(main(wanted))
