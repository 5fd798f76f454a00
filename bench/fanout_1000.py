# Benchmark: 1,000 tasks gathered, each sleeping a different delay (0.001 s .. 1.0 s).
# Exercises task creation, 1,000 timers, and 1,000 wake-ups on the virtual clock.
import asyncio


async def sleeper(index):
    await asyncio.sleep((index % 1000 + 1) / 1000)
    return index


async def main():
    results = await asyncio.gather(*(sleeper(i) for i in range(1000)))
    print(len(results), sum(results))


asyncio.run(main())
