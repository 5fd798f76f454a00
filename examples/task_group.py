# asyncio.TaskGroup (Python 3.11+): structured concurrency.
# What to look for: when one child fails, the group cancels its siblings and raises
# an ExceptionGroup, which `except*` takes apart by exception type.
import asyncio


async def step(name, seconds, fail=False):
    await asyncio.sleep(seconds)
    if fail:
        raise RuntimeError(f"{name} failed")
    print(f"{name} done")


async def main():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(step("fast", 0.5))
            group.create_task(step("broken", 1, fail=True))
            group.create_task(step("slow", 3))
    except* RuntimeError as errors:
        for error in errors.exceptions:
            print("caught:", error)


asyncio.run(main())
