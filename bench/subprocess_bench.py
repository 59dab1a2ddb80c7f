#!/usr/bin/env python3
"""Subprocess workloads for bench/run, on CPython asyncio or uvloop; the Java side is
org.asyncio4j.bench.SubprocessBench (same counts, same shapes).

    subprocess_bench.py asyncio|uvloop [subprocess_spawn] [subprocess_pipe] [subprocess_pipe_protocol]

subprocess_spawn: `true` started, run to exit and collected 1,000 times, 10 at a time
                  (10 workers, 100 each, after a warm-up of 100); processes/s.
subprocess_pipe:  256 MiB written to `cat` in 64 KiB chunks (write + drain) while another
                  task reads its stdout with read(65536); MB/s (10^6 bytes), the
                  median of five runs after six warm-up runs of the same.
subprocess_pipe_protocol: the same bytes through `cat` with loop.subprocess_exec and a
                  SubprocessProtocol instead of streams: 64 KiB writes to the stdin pipe's
                  transport, waiting for resume_writing while it is paused, the output
                  counted in pipe_data_received; measured as subprocess_pipe.
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


class _Counter(asyncio.SubprocessProtocol):
    """Counts the child's stdout; `resume` is pending while the stdin pipe is paused."""

    def __init__(self):
        self.loop = asyncio.get_running_loop()
        self.got = 0
        self.lost = self.loop.create_future()
        self.resume = None

    def pipe_data_received(self, fd, data):
        self.got += len(data)

    def pause_writing(self):
        self.resume = self.loop.create_future()

    def resume_writing(self):
        resume, self.resume = self.resume, None
        resume.set_result(None)

    def connection_lost(self, exc):
        self.lost.set_result(None)


async def pipe_protocol(total):
    loop = asyncio.get_running_loop()
    transport, counter = await loop.subprocess_exec(_Counter, "cat", stdin=asyncio.subprocess.PIPE,
                                                    stdout=asyncio.subprocess.PIPE, stderr=None)
    stdin = transport.get_pipe_transport(0)
    chunk = bytes(range(256)) * (CHUNK // 256)
    for _ in range(total // CHUNK):
        stdin.write(chunk)
        if counter.resume is not None:
            await counter.resume
    stdin.close()
    await counter.lost
    transport.close()
    assert counter.got == total, (counter.got, total)


async def pipe_rate(name, pipe_run):
    for _ in range(PIPE_WARMUPS):
        await pipe_run(PIPE_BYTES)
    rates = []
    for _ in range(PIPE_RUNS):
        t0 = time.perf_counter()
        await pipe_run(PIPE_BYTES)
        rates.append(PIPE_BYTES / 1e6 / (time.perf_counter() - t0))
    rates.sort()
    print(f"{name} {rates[PIPE_RUNS // 2]:.1f} MB/s", flush=True)


async def main(names):
    for name in names:
        if name == "subprocess_spawn":
            await spawn(100)
            t0 = time.perf_counter()
            await spawn(SPAWNS)
            print(f"subprocess_spawn {SPAWNS / (time.perf_counter() - t0):.1f} processes/s", flush=True)
        elif name == "subprocess_pipe":
            await pipe_rate(name, pipe)
        elif name == "subprocess_pipe_protocol":
            await pipe_rate(name, pipe_protocol)
        else:
            raise SystemExit(f"unknown workload {name}")


if __name__ == "__main__":
    loop_name = sys.argv[1]
    wanted = sys.argv[2:] or ["subprocess_spawn", "subprocess_pipe", "subprocess_pipe_protocol"]
    if loop_name == "uvloop":
        import uvloop
        uvloop.install()
    elif loop_name != "asyncio":
        raise SystemExit(f"usage: {sys.argv[0]} asyncio|uvloop [workload...]")
    asyncio.run(main(wanted))
