# Background tasks with asyncio.create_task, collected later with gather.
# What to look for: create_task schedules each worker at once; main keeps running
# (it prints "main keeps going" before any worker starts) and only then awaits them.
# All five workers sleep at the same time, so the whole run takes 1.0 s, not 5 s.
import asyncio


async def worker(number):
    print(f"worker {number} starts")
    await asyncio.sleep(1)
    print(f"worker {number} done")
    return number * number


async def main():
    workers = [asyncio.create_task(worker(n), name=f"worker-{n}") for n in range(5)]
    print("main keeps going while the workers wait their turn")
    squares = await asyncio.gather(*workers)
    print("squares:", squares)


asyncio.run(main())
